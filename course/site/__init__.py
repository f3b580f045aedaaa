"""The courses website: its sources laid out, its pages and notebook 04s explorer checked in Chromium."""
