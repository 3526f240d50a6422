/* The two windows of one page (audience and presenter) in step, through a
 * BroadcastChannel named after the page: slide and step, blank screen, laser, pen,
 * and the audience's canvas size (so the presenter fits the same content). */

export class Sync {
  constructor(deck) {
    this.deck = deck;
    this.channel = null;
    if (deck.mode !== "print" && typeof BroadcastChannel === "function") {
      this.channel = new BroadcastChannel("course-slides:" + location.pathname);
      this.channel.onmessage = ({data}) => this.receive(data);
    }
  }

  post(msg) { if (this.channel) this.channel.postMessage(msg); }

  /** The audience's canvas and place, for a window that joins. */
  announce() {
    const d = this.deck;
    if (d.mode === "presenter") this.post({type: "hello"});
    else this.post({type: "canvas", w: d.fitter.cw, h: d.fitter.ch});
  }

  /** A message from the other window of this page (presenter or audience). */
  receive(data) {
    const d = this.deck;
    switch (data.type) {
      // A presenter that joins is shown the audience's slide: not yet the talk's start.
      case "goto": d.go(data.slide, data.step, {broadcast: false, initial: Boolean(data.join)}); break;
      case "hello":  // a presenter opened later: it follows this audience window
        if (d.mode !== "slides") break;
        this.post({type: "canvas", w: d.fitter.cw, h: d.fitter.ch});
        this.post({type: "goto", slide: d.index, step: d.step, join: true});
        if (d.ink.blanked) this.post({type: "blank", on: true});
        break;
      case "canvas":
        if (d.mode !== "presenter") break;
        d.fitter.audience = {w: data.w, h: data.h};
        d.fitter.layout();
        d.fitter.fitVisible();
        d.ink.redraw();
        break;
      case "blank": d.ink.setBlank(data.on, {broadcast: false}); break;
      case "laser": d.ink.pointLaser(data.at, false); break;
      case "pen": if (data.slide === d.index) d.ink.penTo(data.op, data.at, false); break;
      case "clear": d.ink.clear(data.slide, false); break;
    }
  }

  close() { if (this.channel) this.channel.close(); }
}
