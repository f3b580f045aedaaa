// The course's website: the latent explorer of notebooks 04 and 07, live in the page, with no kernel.
// Plain JavaScript, no framework, nothing from another host: it reads the decoders' weights and the maps' codes
// that course.site.latent exports from the shipped weights (_static/latent/NN.json and NN.bin), decodes each
// point itself (Dense layers: the same kernels, biases and activations as Keras), and draws the map and the
// digit on two canvases. course.site.check tests it in Chromium: its pixels against Keras', its speed, and a
// drag, a key, a model switch and a walk at 1400 and 390 pixels wide.
"use strict";

(() => {
  const DATA = new URL("latent/", document.currentScript.src);  // _static/latent/, beside this file
  const ACTIVATIONS = {
    sigmoid: (x) => 1 / (1 + Math.exp(-x)),
    tanh: Math.tanh,
    relu: (x) => (x > 0 ? x : 0),
    linear: (x) => x,
  };
  const MAP = 600;  // the map canvas's own pixels (the page scales it); the digit canvas has 28 x 28
  const STEP = 0.01;  // an arrow key moves the point by this share of the map's width (Shift: ten times as far)
  const WALK_MS = 1500;
  const NEIGHBOURS = 10;  // the text says which digits the nearest codes are
  let count = 0;

  // --- the decoder: Dense layers, computed as Keras computes them (kernel of shape inputs x units) -------------

  class Decoder {
    constructor(layers, buffer) {
      this.layers = layers.map((layer) => ({
        inputs: layer.inputs,
        units: layer.units,
        activation: ACTIVATIONS[layer.activation],
        kernel: new Float32Array(buffer, layer.kernel.offset, layer.kernel.length),
        bias: new Float32Array(buffer, layer.bias.offset, layer.bias.length),
        out: new Float64Array(layer.units),
      }));
      if (this.layers.some((layer) => !layer.activation)) throw new Error("an activation explorer.js does not know");
    }

    // The pixels for the point (z1, z2): a Float64Array of 784 values in [0, 1] (the last layer's buffer).
    decode(z1, z2) {
      let x = [z1, z2];
      for (const { inputs, units, activation, kernel, bias, out } of this.layers) {
        for (let j = 0; j < units; j++) out[j] = bias[j];
        for (let i = 0; i < inputs; i++) {
          const xi = x[i];
          if (xi === 0) continue;
          const row = i * units;
          for (let j = 0; j < units; j++) out[j] += xi * kernel[row + j];
        }
        for (let j = 0; j < units; j++) out[j] = activation(out[j]);
        x = out;
      }
      return x;
    }
  }

  // --- small helpers ----------------------------------------------------------------------------------------

  const element = (tag, attributes = {}, ...children) => {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) {
      if (name === "text") node.textContent = value;
      else node.setAttribute(name, value);
    }
    node.append(...children);
    return node;
  };
  const number = (value) => (Math.abs(value) < 0.005 ? 0 : value).toFixed(2).replace("-", "\u2212");
  const point = ([z1, z2]) => `(${number(z1)}, ${number(z2)})`;
  const article = (digit) => (digit === "8" ? "an" : "a");

  // --- one explorer ----------------------------------------------------------------------------------------

  class Explorer {
    constructor(root, meta, buffer) {
      this.root = root;
      this.meta = meta;
      this.id = `course-explorer-${++count}`;
      this.labels = new Uint8Array(buffer, meta.labels.offset, meta.labels.length);
      this.order = new Uint16Array(buffer, meta.order.offset, meta.order.length);
      this.models = meta.models.map((model) => ({
        ...model,
        codes: new Float32Array(buffer, model.codes.offset, model.codes.length),
        decoder: new Decoder(model.layers, buffer),
        background: null,
      }));
      this.model = this.models[0];
      this.z = meta.start.slice();
      this.path = null;
      this.walks = 0;  // each walk's number: a move, a model switch or another walk stops the one under way
      this.walking = false;
      this.walkMs = WALK_MS;  // how long a walk takes (the site check shortens it)
      this.timings = [];  // ms from each input event to its digit on the canvas (the site check reads them)
      this.build();
      this.draw();
    }

    build() {
      const { meta, id } = this;
      const models = element("fieldset", { class: "course-explorer-models" }, element("legend", { text: "Model" }));
      for (const model of this.models) {
        const input = element("input", { type: "radio", name: `${id}-model`, value: model.key });
        input.checked = model === this.model;
        input.addEventListener("change", (event) => this.choose(model, event));
        models.append(element("label", {}, input, ` ${model.name} `, element("span", { class: "course-explorer-note",
          text: `(${model.architecture})` })));
      }
      this.map = element("canvas", { width: MAP, height: MAP, tabindex: "0", role: "application",
        "aria-roledescription": "latent map", "aria-describedby": `${id}-text` });
      this.digit = element("canvas", { width: 28, height: 28, role: "img" });
      this.pixels = this.digit.getContext("2d").createImageData(28, 28);
      this.text = element("p", { id: `${id}-text`, class: "course-explorer-text", "aria-live": "polite" });
      const legend = element("p", { class: "course-explorer-legend" }, "Digits: ");
      meta.palette.forEach((colour, digit) => legend.append(element("span", { class: "course-explorer-key" },
        element("span", { class: "course-explorer-swatch", style: `background:${colour}`, "aria-hidden": "true" }),
        String(digit))));
      this.sliders = ["z1", "z2"].map((name, axis) => {
        const input = element("input", { type: "range", id: `${id}-${name}`, step: "0.01" });
        input.addEventListener("input", (event) => {
          const z = this.z.slice();
          z[axis] = Number(input.value);
          this.move(z, event);
        });
        return [element("label", { for: `${id}-${name}`, text: name }), input];
      });
      const choices = (selected) => {
        const select = element("select");
        meta.firsts.forEach((image, digit) => {
          const option = element("option", { value: image, text: `${article(String(digit))} ${digit} (validation image ${image})` });
          option.selected = image === selected;
          select.append(option);
        });
        return select;
      };
      this.from = choices(meta.walk[0]);
      this.to = choices(meta.walk[1]);
      this.walkButton = element("button", { type: "button", class: "course-explorer-walk-button", text: "Walk" });
      this.walkButton.addEventListener("click", (event) => this.walk(event));
      const walk = element("fieldset", { class: "course-explorer-walk" },
        element("legend", { text: "Walk between two validation images" }),
        element("label", {}, "from ", this.from), element("label", {}, "to ", this.to), this.walkButton);
      const digitCaption = element("figcaption", { id: `${id}-digit`, class: "course-explorer-caption" });
      this.digitCaption = digitCaption;
      this.root.replaceChildren(
        models,
        element("div", { class: "course-explorer-panels" },
          element("figure", { class: "course-explorer-map" }, this.map, legend),
          element("figure", { class: "course-explorer-digit" }, this.digit, digitCaption)),
        this.text,
        element("div", { class: "course-explorer-sliders" }, ...this.sliders.flat()),
        walk);
      this.listen();
    }

    listen() {
      const { map } = this;
      const at = (event) => {
        const box = map.getBoundingClientRect();
        const [low, high] = this.model.limits;
        return [low + ((event.clientX - box.left) / box.width) * (high - low),
          high - ((event.clientY - box.top) / box.height) * (high - low)];
      };
      map.addEventListener("pointerdown", (event) => {
        if (event.button !== 0) return;
        map.setPointerCapture(event.pointerId);
        map.focus({ preventScroll: true });
        this.dragging = true;
        this.move(at(event), event);
        event.preventDefault();
      });
      map.addEventListener("pointermove", (event) => { if (this.dragging) this.move(at(event), event); });
      for (const type of ["pointerup", "pointercancel"]) map.addEventListener(type, () => { this.dragging = false; });
      map.addEventListener("keydown", (event) => {
        const moves = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1] };
        if (!moves[event.key]) return;
        event.preventDefault();  // the page does not scroll
        const [low, high] = this.model.limits;
        const step = (high - low) * STEP * (event.shiftKey ? 10 : 1);
        this.move([this.z[0] + moves[event.key][0] * step, this.z[1] + moves[event.key][1] * step], event);
      });
    }

    // --- what the learner does ---

    move(z, event) {
      this.walks++;
      this.walking = false;
      this.path = null;
      this.z = this.clamp(z);
      this.draw(event);
    }

    choose(model, event) {
      this.walks++;
      this.walking = false;
      this.model = model;
      this.z = this.clamp(this.z);
      this.path = null;
      this.draw(event);
    }

    walk(event) {
      const images = [Number(this.from.value), Number(this.to.value)];
      const [a, b] = images.map((image) => [this.model.codes[2 * image], this.model.codes[2 * image + 1]]);
      const reduced = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
      const walk = ++this.walks;
      this.walking = true;
      const began = performance.now();
      const step = (now) => {
        if (this.walks !== walk) return;  // stopped by another walk, a move or a model switch
        let t = Math.min(1, (now - began) / this.walkMs);
        if (reduced) t = Math.floor(t * 10) / 10;  // eleven still points, as the notebooks' walks
        this.z = [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])];
        this.path = [a, b, images];
        this.draw();
        if (t < 1) requestAnimationFrame(step);
        else this.walking = false;
      };
      this.z = a.slice();
      this.path = [a, b, images];
      this.draw(event);
      requestAnimationFrame(step);
    }

    clamp([z1, z2]) {
      const [low, high] = this.model.limits;
      return [Math.min(high, Math.max(low, z1)), Math.min(high, Math.max(low, z2))];
    }

    // --- drawing ---

    draw(event) {
      const [z1, z2] = this.z;
      const pixels = this.model.decoder.decode(z1, z2);
      const data = this.pixels.data;
      for (let i = 0; i < 784; i++) {  // gray_r, as the notebooks: 0 white, 1 black
        const v = Math.round(255 * (1 - pixels[i]));
        data[4 * i] = data[4 * i + 1] = data[4 * i + 2] = v;
        data[4 * i + 3] = 255;
      }
      this.digit.getContext("2d").putImageData(this.pixels, 0, 0);
      this.drawMap();
      if (event && event.timeStamp) {
        this.timings.push(performance.now() - event.timeStamp);
        if (this.timings.length > 1000) this.timings.shift();
      }
      this.describe();
    }

    toCanvas([z1, z2]) {
      const [low, high] = this.model.limits;
      return [((z1 - low) / (high - low)) * MAP, (1 - (z2 - low) / (high - low)) * MAP];
    }

    drawMap() {
      const context = this.map.getContext("2d");
      context.drawImage(this.background(), 0, 0);
      if (this.path) {
        const [a, b] = this.path.slice(0, 2).map((z) => this.toCanvas(z));
        context.strokeStyle = "#000";
        context.lineWidth = 3;
        context.beginPath();
        context.moveTo(...a);
        context.lineTo(...b);
        context.stroke();
        for (const [x, y] of [a, b]) {
          context.beginPath();
          context.arc(x, y, 7, 0, 2 * Math.PI);
          context.fillStyle = "#fff";
          context.fill();
          context.stroke();
        }
      }
      const [x, y] = this.toCanvas(this.z);
      context.beginPath();
      for (let i = 0; i < 10; i++) {  // a star, as the notebooks mark the point
        const radius = i % 2 ? 8 : 20;
        const angle = -Math.PI / 2 + (i * Math.PI) / 5;
        context.lineTo(x + radius * Math.cos(angle), y + radius * Math.sin(angle));
      }
      context.closePath();
      context.fillStyle = "#000";
      context.strokeStyle = "#fff";
      context.lineWidth = 3;
      context.fill();
      context.stroke();
    }

    // The map without the point: drawn once per model, then copied for each move.
    background() {
      const model = this.model;
      if (model.background) return model.background;
      const canvas = element("canvas", { width: MAP, height: MAP });
      const context = canvas.getContext("2d");
      context.fillStyle = "#fff";
      context.fillRect(0, 0, MAP, MAP);
      context.strokeStyle = "#ccc";
      context.lineWidth = 1;
      const [low, high] = model.limits;
      for (let tick = Math.ceil(low); tick <= Math.floor(high); tick++) {  // a grid line at each whole number
        const [x, y] = this.toCanvas([tick, tick]);
        context.beginPath();
        context.moveTo(x, 0);
        context.lineTo(x, MAP);
        context.moveTo(0, y);
        context.lineTo(MAP, y);
        context.stroke();
      }
      const { palette } = this.meta;
      for (const i of this.order) {
        const [x, y] = this.toCanvas([model.codes[2 * i], model.codes[2 * i + 1]]);
        context.fillStyle = palette[this.labels[i]];
        context.fillRect(x - 2.5, y - 2.5, 5, 5);
      }
      context.font = "bold 22px sans-serif";
      context.textAlign = "center";
      context.textBaseline = "middle";
      model.centres.forEach((centre, digit) => {
        if (centre.some(Number.isNaN)) return;
        const [x, y] = this.toCanvas(centre);
        context.beginPath();
        context.arc(x, y, 17, 0, 2 * Math.PI);
        context.fillStyle = "rgba(255, 255, 255, 0.9)";
        context.fill();
        context.lineWidth = 5;
        context.strokeStyle = palette[digit];
        context.stroke();
        context.fillStyle = "#000";
        context.fillText(String(digit), x, y + 1);
      });
      context.fillStyle = "#000";
      context.font = "24px sans-serif";
      context.textAlign = "left";
      context.textBaseline = "bottom";
      context.fillText(`z1 \u2192 (${number(low)} to ${number(high)})`, 8, MAP - 4);
      context.save();
      context.translate(MAP - 8, MAP - 8);
      context.rotate(-Math.PI / 2);
      context.fillText(`z2 \u2192 (${number(low)} to ${number(high)})`, 0, 0);
      context.restore();
      model.background = canvas;
      return canvas;
    }

    // The text alternatives: the map's, the digit's and the sentence under them; the sliders' values.
    describe() {
      const { model, z, meta } = this;
      const spread = (axis) => {
        let low = Infinity, high = -Infinity;
        for (let i = axis; i < model.codes.length; i += 2) { low = Math.min(low, model.codes[i]); high = Math.max(high, model.codes[i]); }
        return high - low;
      };
      if (model.spread === undefined) model.spread = Math.max(spread(0), spread(1));
      const centres = model.centres.map((c, digit) => `${digit} at ${point(c)}`).join(", ");
      const map = model.spread < 1e-3
        ? `all ${meta.count.toLocaleString("en")} codes lie at one point, ${point([model.codes[0], model.codes[1]])}: this model collapsed`
        : `the digits' centres: ${centres}`;
      this.map.setAttribute("aria-label", `Latent map of ${model.name}: the codes of ${meta.count.toLocaleString("en")} `
        + `${meta.images}, each a dot coloured by its digit; ${map}. The star marks the point z = ${point(z)}. `
        + "Drag on it, or use the arrow keys, to move the star.");
      // the digits of the codes nearest to the point
      const nearest = [];
      for (let i = 0; i < meta.count; i++) {
        const d = (model.codes[2 * i] - z[0]) ** 2 + (model.codes[2 * i + 1] - z[1]) ** 2;
        if (nearest.length < NEIGHBOURS || d < nearest[nearest.length - 1][0]) {
          nearest.push([d, this.labels[i]]);
          nearest.sort((p, q) => p[0] - q[0]);
          if (nearest.length > NEIGHBOURS) nearest.pop();
        }
      }
      const votes = new Array(10).fill(0);
      for (const [, digit] of nearest) votes[digit]++;
      const ranked = votes.map((n, digit) => [n, digit]).filter(([n]) => n).sort((p, q) => q[0] - p[0]);
      const digit = ranked[0][1];
      const counted = ranked.map(([n, d]) => (n > 1 ? `${n} are ${d}s` : `1 is ${article(String(d))} ${d}`));
      const listed = counted.length > 1 ? `${counted.slice(0, -1).join(", ")} and ${counted.at(-1)}` : counted[0];
      const walking = this.path ? `Walking from validation image ${this.path[2][0]} to image ${this.path[2][1]}: ` : "";
      const name = walking ? model.name : model.name[0].toUpperCase() + model.name.slice(1);
      this.text.textContent = `${walking}${name}, z = ${point(z)}. Of the ${NEIGHBOURS} validation codes `
        + `nearest to it, ${listed}.`;
      const said = `The digit ${model.name}'s decoder draws at z = ${point(z)}`;
      this.digit.setAttribute("aria-label", `${said}: the nearest validation codes are mostly ${digit}s.`);
      this.digitCaption.textContent = `decoded at z = ${point(z)}`;
      const [low, high] = model.limits;
      this.sliders.forEach(([, input], axis) => {
        input.min = String(low);
        input.max = String(high);
        input.value = String(z[axis]);
        input.setAttribute("aria-valuetext", `z${axis + 1} = ${number(z[axis])}`);
      });
    }

    // For the site check: the pixels of each point, decoded by the model `key`.
    decode(key, points) {
      const model = this.models.find((m) => m.key === key);
      return points.map(([z1, z2]) => Array.from(model.decoder.decode(z1, z2)));
    }
  }

  // --- start: every <div class="course-explorer" data-explorer="NN"> of the page -----------------------------

  const start = async (root) => {
    const page = root.dataset.explorer;
    const status = root.querySelector(".course-explorer-status");
    if (status) status.textContent = "Loading the decoders\u2026";
    try {
      const meta = await (await fetch(new URL(`${page}.json`, DATA))).json();
      const answer = await fetch(new URL(meta.data, DATA));
      if (!answer.ok) throw new Error(`${meta.data}: ${answer.status}`);
      const buffer = await answer.arrayBuffer();
      root.courseExplorer = new Explorer(root, meta, buffer);
      root.dataset.ready = "true";
    } catch (error) {
      if (status) {
        status.textContent = "The explorer could not load its data: open the site through a web server "
          + `(python -m http.server -d build/site/_build/html), not as files. (${error.message})`;
      }
      root.dataset.ready = "failed";
    }
  };

  const all = () => document.querySelectorAll(".course-explorer[data-explorer]").forEach(start);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", all);
  else all();
})();
