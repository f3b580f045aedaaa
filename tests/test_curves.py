import numpy as np
import pytest
import tensorflow as tf
from tensorflow import keras

from helpers import curves, metrics

KERAS_LOSSES = {"mae": "mean_absolute_error", "mse": "mean_squared_error", "bce": "binary_crossentropy"}
PREDICTIONS = np.array([0.02, 0.1, 0.3, 0.45, 0.7, 0.9, 0.97])


@pytest.mark.parametrize("loss", ["mae", "mse", "bce"])
@pytest.mark.parametrize("target", [0.0, 1.0, 0.4])
def test_loss_values_and_derivatives_match_keras_autodiff(loss, target):
    value, grad = curves.loss_curve(loss, target, PREDICTIONS)
    p = tf.Variable(PREDICTIONS[:, None].astype("float32"))  # Keras computes losses in float32
    with tf.GradientTape() as tape:
        keras_value = keras.losses.get(KERAS_LOSSES[loss])(np.full((len(PREDICTIONS), 1), target, "float32"), p)
        total = tf.reduce_sum(keras_value)
    keras_grad = tape.gradient(total, p).numpy()[:, 0]
    np.testing.assert_allclose(value, keras_value.numpy(), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(grad, keras_grad, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("loss", ["mae", "mse", "bce"])
def test_derivatives_match_finite_differences(loss):
    h = 1e-6
    plus, _ = curves.loss_curve(loss, 1.0, PREDICTIONS + h)
    minus, _ = curves.loss_curve(loss, 1.0, PREDICTIONS - h)
    _, grad = curves.loss_curve(loss, 1.0, PREDICTIONS)
    np.testing.assert_allclose(grad, (plus - minus) / (2 * h), rtol=1e-4)


def test_loss_values_are_the_metrics_values_and_hand_values():
    value, _ = curves.loss_curve("bce", 1.0, [0.5])
    assert value[0] == pytest.approx(np.log(2))
    assert value[0] == pytest.approx(metrics.bce([[1.0]], [[0.5]])[0])
    value, grad = curves.loss_curve("mae", 0.0, [0.0, 0.25, -0.5])
    assert value.tolist() == [0.0, 0.25, 0.5] and grad.tolist() == [0.0, 1.0, -1.0]  # 0 at the kink, like TF
    value, grad = curves.loss_curve("mse", 0.0, 0.5)  # a plain number works too
    assert value.shape == (1,) and grad[0] == pytest.approx(1.0)


def test_bce_derivative_is_finite_at_the_ends():
    _, grad = curves.loss_curve("bce", 1.0, [0.0, 1.0])
    # for target 1 the derivative is -1/p: huge near p = 0 (clipped, not infinite), -1 at p = 1
    assert np.isfinite(grad).all() and grad[0] < -1e6 and grad[1] == pytest.approx(-1.0, abs=1e-5)


@pytest.mark.parametrize(("call", "error", "message"), [
    (lambda: curves.loss_curve("hinge", 1.0, [0.5]), ValueError, "loss must be one of"),
    (lambda: curves.loss_curve("mse", "1", [0.5]), TypeError, "target must be a number"),
    (lambda: curves.loss_curve("mse", 1.0, []), ValueError, "non-empty 1-D"),
    (lambda: curves.loss_curve("mse", 1.0, [[0.5]]), ValueError, "non-empty 1-D"),
    (lambda: curves.loss_curve("mse", 1.0, [np.nan]), ValueError, "prediction contains NaN"),
    (lambda: curves.loss_curve("mse", 1.0, "0.5"), TypeError, "prediction must be a number"),
    (lambda: curves.loss_curve("bce", 1.0, [1.5]), ValueError, r"must lie in \[0, 1\]"),
    (lambda: curves.activation_curve("relu6", [0.0]), ValueError, "name must be one of"),
])  # fmt: skip
def test_bad_input(call, error, message):
    with pytest.raises(error, match=message):
        call()


@pytest.mark.parametrize("name", ["sigmoid", "tanh"])
def test_activations_match_keras_and_autodiff(name):
    z = np.linspace(-8, 8, 33)
    value, deriv = curves.activation_curve(name, z)
    zt = tf.Variable(z)
    with tf.GradientTape() as tape:
        keras_value = keras.activations.get(name)(zt)
        total = tf.reduce_sum(keras_value)
    np.testing.assert_allclose(value, keras_value.numpy(), rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(deriv, tape.gradient(total, zt).numpy(), rtol=1e-6, atol=1e-9)


def test_activation_ranges_and_largest_derivatives():
    z = np.linspace(-30, 30, 6001)
    s, ds = curves.activation_curve("sigmoid", z)
    t, dt = curves.activation_curve("tanh", z)
    assert 0 <= s.min() and s.max() <= 1 and -1 <= t.min() and t.max() <= 1
    assert ds.max() == pytest.approx(0.25) and dt.max() == pytest.approx(1.0)
    np.testing.assert_allclose(t, 2 * curves.activation_curve("sigmoid", 2 * z)[0] - 1, atol=1e-12)
    assert np.isfinite(curves.activation_curve("sigmoid", [-1000.0, 1000.0])[0]).all()  # no overflow


def test_loss_figure_layout():
    fig = curves.plot_losses_and_gradients(title="All three")
    assert len(fig.axes) == 6 and fig._suptitle.get_text() == "All three"
    top, bottom = fig.axes[0], fig.axes[3]
    assert top.get_title().startswith("|x - x̂|") and bottom.get_ylabel() == "derivative"
    assert [t.get_text() for t in top.get_legend().get_texts()] == ["target x = 0", "target x = 1"]
    assert fig.axes[5].get_ylim() == (-20, 20)  # BCE's derivative axis is clipped
    one = curves.plot_losses_and_gradients(["bce"], title="BCE", targets=[0.0, 0.5, 1.0])
    assert len(one.axes) == 2 and len(one.axes[0].get_legend().get_texts()) == 3


def test_mae_figure_shows_the_jump_at_the_target():
    fig = curves.plot_losses_and_gradients(["mae"], title="MAE", targets=[0.5])
    bottom = fig.axes[1]
    jumps = [line for line in bottom.lines if list(line.get_xdata()) == [0.5, 0.5]]
    assert len(jumps) == 1 and list(jumps[0].get_ydata()) == [-1.0, 1.0]
    marks = [line for line in bottom.lines if list(line.get_ydata()) == [0.0] and list(line.get_xdata()) == [0.5]]
    assert len(marks) == 1  # the 0 that TensorFlow returns at the corner
    curve = bottom.lines[0].get_ydata()
    assert np.isnan(curve).sum() == 1 and np.nanmin(curve) == -1 and np.nanmax(curve) == 1


def test_loss_figure_bad_arguments():
    with pytest.raises(ValueError, match="losses must be a non-empty"):
        curves.plot_losses_and_gradients([], title="x")
    with pytest.raises(ValueError, match=r"losses\[1\] must be one of"):
        curves.plot_losses_and_gradients(["mse", "l1"], title="x")
    with pytest.raises(ValueError, match=r"targets must lie in \[0, 1\]"):
        curves.plot_losses_and_gradients(title="x", targets=[2.0])
    with pytest.raises(ValueError, match="points must be an int"):
        curves.plot_losses_and_gradients(title="x", points=2)


def test_activation_figure():
    fig = curves.plot_activations(title="A")
    assert [ax.get_xlabel() for ax in fig.axes] == ["pre-activation z"] * 2
    assert len(fig.axes[0].get_legend().get_texts()) == 2
    with pytest.raises(ValueError, match="z_max must be a positive number"):
        curves.plot_activations(title="x", z_max=0)
    with pytest.raises(ValueError, match="names must be a non-empty"):
        curves.plot_activations("tanh", title="x")


def test_descent_mse_settles_and_mae_keeps_bouncing():
    mse = curves.descend_one_number("mse", target=0.3, start=0.9, learning_rate=0.1, steps=200)
    mae = curves.descend_one_number("mae", target=0.3, start=0.9, learning_rate=0.07, steps=200)
    assert mse.shape == (201,) and mse[0] == 0.9
    assert abs(mse[-1] - 0.3) < 1e-12
    tail = np.abs(mae[-20:] - 0.3)
    assert tail.max() > 0.01 and tail.max() <= 0.07 + 1e-12  # it never gets closer than one step allows
    bce = curves.descend_one_number("bce", target=1.0, start=0.5, learning_rate=0.05, steps=50)
    assert np.all(np.diff(bce) >= 0) and bce[-1] <= 1 and bce[5] > 0.85  # clipped to [0, 1]


def test_descent_bad_arguments():
    with pytest.raises(ValueError, match="steps must be a positive int"):
        curves.descend_one_number("mse", target=0.0, start=1.0, learning_rate=0.1, steps=0)
    with pytest.raises(ValueError, match="learning_rate must be a positive number"):
        curves.descend_one_number("mse", target=0.0, start=1.0, learning_rate=-1.0, steps=5)
