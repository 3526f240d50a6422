/* diffusion-sampler: ask the class-conditional diffusion model of the figures run for a
 * digit and watch DDIM remove the noise step by step, computed by NumPy in the browser.
 *
 *   <div class="demo" data-demo="diffusion-sampler"></div>
 *
 * «Misma semilla, otra clase» runs a second class from the very same x_T beside the first
 * (one batch in Python), so what differs between the two images is the class alone.
 *
 * State: data-state = idle | running | done | error, data-step ("i/n"), data-sample (JSON of
 * the final 28×28 image, rounded), data-compare (JSON [class, other class], null = no class)
 * and data-sample-other while comparing, and an aria-live progress line. */
import {h, guardKeys, readBox, plural, inputError} from "./common.js";
import {loadNet, provenance, paintGray, plane, errorText, whenVisible} from "./nets-common.js";
import {prepare, declareText, grow, watch} from "./canvas.js";

export default {
  name: "diffusion-sampler",
  mount(el, {runtime, ui}) {
    guardKeys(el);
    let net = null, frames = [], cancel = false, running = false, alive = true, abar = null, timesteps = [];
    let pairLabels = null;  // [class, other class] while the shown sample is a comparison
    const classSelect = (label) => h("select", {"aria-label": label}, h("option", {value: ""}, "sin clase"),
      ...Array.from({length: 10}, (_, d) => h("option", {value: String(d)}, `«${d}»`)));
    const cls = classSelect("Clase pedida"), other = classSelect("Otra clase, misma semilla");
    other.dataset.field = "other";
    cls.value = "7";
    other.value = "1";
    const className = (v) => (v === null ? "sin clase" : `«${v}»`);
    const decimalText = (v) => String(v).replace(".", ",");
    const box = (field, value, label) => h("input", {type: "text", inputmode: "decimal", autocomplete: "off", size: "4",
                                                     class: "cw-numbox", value, "data-field": field, "aria-label": label});
    const guidance = box("guidance", "3", "Escala de guía s");
    const steps = box("steps", "25", "Pasos DDIM");
    const seed = box("seed", "0", "Semilla");
    // Until the network has loaded, the buttons say so instead of doing nothing.
    const go = h("button", {type: "button", disabled: true}, "Generar (cargando la red…)");
    const stop = h("button", {type: "button", disabled: true}, "Detener");
    const pair = h("button", {type: "button", disabled: true}, "Comparar");
    const scrub = h("input", {type: "range", min: "0", max: "0", value: "0", "aria-label": "Paso mostrado"});
    const xt = h("canvas", {class: "cw-pixels", role: "img", "aria-label": "Imagen x_t"});
    const x0 = h("canvas", {class: "cw-pixels", role: "img", "aria-label": "Predicción de x₀"});
    const xtOther = h("canvas", {class: "cw-pixels", role: "img", "aria-label": "Imagen x_t de la otra clase, misma semilla"});
    const otherCap = h("figcaption", {text: ""});
    const xtCap = h("figcaption", {text: "x_t"});
    const x0Cap = h("figcaption", {text: "x̂₀ predicho en este paso"});
    // In the page only while comparing (slide styles give every figure of the row a display).
    const otherFig = h("figure", {class: "cw-figure"}, xtOther, otherCap);
    const xtFig = h("figure", {class: "cw-figure"}, xt, xtCap);
    const plot = h("canvas", {role: "img",
                              "aria-label": "Calendario de ruido: raíz de alfa barra t frente a t, con los pasos DDIM marcados"});
    const attn = h("canvas", {class: "cw-pixels", role: "img", "aria-label": "Mapa de atención del cuello de botella"});
    const attnCap = h("figcaption", {text: "Atención: pulsa un píxel de x_t"});
    const plotFig = h("figure", {class: "cw-figure"}, plot, h("figcaption", {text: "√ᾱ_t (señal que queda) y los pasos elegidos"}));
    const figRow = h("div", {class: "demo-row"}, xtFig,
      h("figure", {class: "cw-figure"}, x0, x0Cap),
      h("figure", {class: "cw-figure"}, attn, attnCap),
      plotFig);
    const progress = h("progress", {max: "1", value: "0", "aria-label": "Progreso del muestreo"});
    const live = h("p", {class: "cw-result", "aria-live": "polite", text: "Elige una clase y pulsa «Generar»."});
    const field = (label, input) => h("label", {class: "cw-control"}, label, " ", input);
    el.append(
      h("div", {class: "cw-controls"}, field("Clase", cls), field("Guía s", guidance), field("Pasos", steps),
        field("Semilla", seed), go, stop),
      h("div", {class: "cw-controls"}, field("Misma semilla, otra clase", other), pair),
      figRow,
      field("Paso mostrado", scrub), progress, live);
    el.dataset.state = "idle";

    // Sizes: the images (side × side CSS px, 28×28 pixels drawn pixelated) grow into the
    // slide's room (canvas.js grow), three abreast in the stage's right column; on a slide
    // the plot sits in the left column under the controls, as wide as that column.
    // Reading mode: 168 px images and a 320×140 plot in one row.
    let side = 168, shownStep = -1;
    function layout() {
      const slide = Boolean(el.closest(".slides-deck"));
      if (slide && plotFig.parentElement !== el) live.before(plotFig);
      if (!slide && plotFig.parentElement !== figRow) figRow.append(plotFig);
      plotFig.style.gridColumn = slide ? "1" : "";
      const figs = Array.from(figRow.children);
      const widest = Math.floor((figRow.clientWidth - 12 * (figs.length - 1)) / figs.length) - 2;
      grow(figRow, (s) => {
        side = s;
        for (const c of [xt, x0, xtOther, attn]) Object.assign(c.style, {width: `${s}px`, height: `${s}px`, maxHeight: "none"});
        for (const f of figs) Object.assign(f.style, {flex: slide ? "0 0 auto" : "", width: slide ? `${s}px` : ""});
        drawPlot(shownStep);
      }, 168, 120, Math.max(120, Math.min(320, widest)));
    }

    function drawPlot(current) {
      shownStep = current;
      if (!abar) return;
      const slide = Boolean(el.closest(".slides-deck"));
      const font = slide ? 20 : 13;  // CSS px: >= 16 px on the screen at the smallest slide fit
      const wide = slide ? Math.max(240, Math.min(480, plotFig.clientWidth - 4)) : 320;
      const {ctx: c, w: W, h: H, k} = prepare(plot, wide, Math.round(wide * (slide ? 0.45 : 140 / 320)));
      const T = abar.length, left = 1.2 * font, bottom = 1.4 * font;
      c.strokeStyle = "#888";
      c.strokeRect(left + 0.5, 5.5, W - left - 6, H - bottom - 6);
      c.font = `${font}px sans-serif`;
      c.fillStyle = "#555";
      c.textBaseline = "top";
      c.fillText("1", 2, 4);
      c.textBaseline = "alphabetic";
      c.fillText("0", 2, H - bottom);
      c.textBaseline = "bottom";
      c.fillText("t = 0", left, H);
      c.textAlign = "right";
      c.fillText(`t = ${T}`, W - 6, H);
      c.textAlign = "start";
      declareText(plot, font, k);
      const X = (t) => left + (W - left - 6) * t / (T - 1), Y = (v) => 5 + (H - bottom - 6) * (1 - v);
      c.strokeStyle = "#1f77b4";
      c.beginPath();
      for (let t = 0; t < T; t++) { const v = Math.sqrt(abar[t]); t ? c.lineTo(X(t), Y(v)) : c.moveTo(X(t), Y(v)); }
      c.stroke();
      timesteps.forEach((t, i) => {
        c.fillStyle = i === current ? "#d62728" : "#ff7f0e";
        c.beginPath();
        c.arc(X(t), Y(Math.sqrt(abar[t])), i === current ? 4 : 2, 0, 2 * Math.PI);
        c.fill();
      });
    }

    function show(i) {
      const f = frames[i];
      if (!f) return;
      const [d, hh, ww] = plane(f.x);
      paintGray(xt, d, hh, ww, {lo: -1, hi: 1});
      const where = i === 0 ? `x_T: ruido puro (t = ${timesteps[0] + 1})` : `x tras el paso ${i} de ${timesteps.length}`;
      xtCap.textContent = pairLabels ? `${className(pairLabels[0])}: ${where}` : where;
      if (pairLabels && f.x_other) {
        const [e] = plane(f.x_other);
        paintGray(xtOther, e, hh, ww, {lo: -1, hi: 1});
        otherCap.textContent = `${className(pairLabels[1])}: el mismo x_T, el mismo paso`;
      }
      if (f.x0) {
        const [e] = plane(f.x0);
        paintGray(x0, e, hh, ww, {lo: -1, hi: 1});
        x0Cap.textContent = `x̂₀ predicho en el paso ${i} (t = ${f.t + 1})`;
      }
      drawPlot(i - 1);
    }
    scrub.addEventListener("input", () => show(Number(scrub.value)));
    xt.addEventListener("click", async (e) => {
      if (!net || running || !frames.length) return;
      const r = xt.getBoundingClientRect();
      const row = Math.floor((e.clientY - r.top) * 28 / r.height), col = Math.floor((e.clientX - r.left) * 28 / r.width);
      try {
        const a = await net.call("diffusion_attention", [row, col]);
        const [d, hh, ww] = plane(a.map);
        paintGray(attn, d, hh, ww, {lo: 0});
        attnCap.textContent = `Atención desde la celda (${a.cell[0] + 1}, ${a.cell[1] + 1}) del cuello de botella `
          + `${hh}×${ww}, en t = ${a.t + 1} (media de las cabezas)`;
      } catch (err) { ui.error(err); }
    });

    function setRunning(on) {
      running = on;
      go.disabled = on;
      pair.disabled = on;
      stop.disabled = !on;
    }

    const labelOf = (select) => (select.value === "" ? null : Number(select.value));
    const rounded = (rec) => JSON.stringify(Array.from(plane(rec)[0], (v) => Math.round(v * 1000) / 1000));

    /** One sample, or with compare the same seed's noise for two classes side by side. */
    async function sample({compare = false} = {}) {
      if (running || !net) return;
      const read = [[guidance, readBox(guidance, "Guía s", {min: 0, max: 20})],
                    [steps, readBox(steps, "Pasos", {min: 1, max: 200, integer: true})],
                    [seed, readBox(seed, "Semilla", {min: 0, max: 2 ** 31 - 1, integer: true})]];
      const label = labelOf(cls), otherLabel = labelOf(other);
      if (compare && otherLabel === label) {
        read.push([other, {error: inputError(`«Otra clase» debe ser distinta de la primera (${className(label)}).`, {field: "other"})}]);
      }
      for (const [inp, r] of read) {
        if (!r.error) continue;
        ui.error(r.error);  // the message, and the box it names marked
        inp.focus();
        return;
      }
      const [s, n, sd] = read.map(([, r]) => r.value);
      ui.error(null);
      cancel = false;
      setRunning(true);
      el.dataset.state = "running";
      pairLabels = compare ? [label, otherLabel] : null;
      if (compare) xtFig.after(otherFig);
      else otherFig.remove();
      layout();
      delete el.dataset.sampleOther;
      if (compare) el.dataset.compare = JSON.stringify(pairLabels);
      else delete el.dataset.compare;
      try {
        const start = await net.call("diffusion_start", [label, s, n, sd], compare ? {compare: true, other: otherLabel} : {});
        timesteps = start.timesteps;
        frames = [{x: start.x, x_other: start.x_other}];
        scrub.max = "0"; scrub.value = "0";
        show(0);
        for (let i = 1; i <= n; i++) {
          if (cancel || !alive) {
            el.dataset.state = "idle";
            live.textContent = `Muestreo detenido en el paso ${i - 1} de ${n}. Pulsa «Generar» para empezar otro.`;
            return;
          }
          const r = await net.call("diffusion_step", []);
          frames.push(r);
          scrub.max = String(i); scrub.value = String(i);
          progress.value = i / n;
          el.dataset.step = `${i}/${n}`;
          live.textContent = `Paso ${i} de ${n} (t = ${r.t + 1})…`;
          show(i);
        }
        const last = frames[frames.length - 1];
        el.dataset.sample = rounded(last.x);
        if (compare) el.dataset.sampleOther = rounded(last.x_other);
        el.dataset.state = "done";
        live.textContent = (compare
          ? `Listo: el mismo ruido x_T (semilla ${sd}) da ${className(label)} a la izquierda y `
            + `${className(otherLabel)} a la derecha; ${plural(n, "paso")} DDIM, guía s = ${decimalText(s)}. `
          : `Listo: ${plural(n, "paso")} DDIM, ${label === null ? "sin clase" : `clase ${label}`}, guía s = ${decimalText(s)}. `)
          + "Mueve el control «Paso mostrado» para repasar la trayectoria.";
      } catch (err) {
        el.dataset.state = "error";
        ui.error(err);
        live.textContent = `El muestreo falló: ${errorText(err)}`;
      } finally {
        setRunning(false);
      }
    }
    go.addEventListener("click", () => sample());
    pair.addEventListener("click", () => sample({compare: true}));
    stop.addEventListener("click", () => { cancel = true; });

    const unwatch = whenVisible(el, async () => {
      try {
        net = await loadNet(runtime, "diffusion");
      } catch (err) {
        el.dataset.state = "error";
        ui.error(err);
        live.textContent = errorText(err);
        return;
      }
      if (!alive) return;
      [abar] = plane({...net.summary.alphas_cumprod, shape: [1, net.summary.alphas_cumprod.shape[0]]});
      drawPlot(-1);
      el.append(provenance(net.entry));
      el.dataset.state = "idle";
      el.dataset.ready = "true";
      go.textContent = "Generar";
      setRunning(false);
    });
    const unwatchSize = watch(figRow, layout);
    layout();
    return () => { alive = false; cancel = true; unwatch(); unwatchSize(); };
  },
};
