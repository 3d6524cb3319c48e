/* Signature pad of the QR check-in page (templates/followup/public/checkin.html).
 * Plain JavaScript, no library. Draws with finger, pen or mouse on a 400 x 150 canvas and
 * writes the strokes as SVG path data ("M x y L x y ...") into the hidden "signature" field,
 * the only grammar the server accepts (followup/signature.py). Without JavaScript the canvas
 * stays hidden and the typed-name field is the signature. */
(function () {
  "use strict";
  var WIDTH = 400, HEIGHT = 150;

  function round(v) { return Math.round(v * 10) / 10; }
  function clamp(v, max) { return Math.min(Math.max(v, 0), max); }

  function setup(root) {
    var box = root.querySelector("[data-signature-box]");
    var canvas = root.querySelector("canvas");
    var field = root.querySelector("input[name='signature']");
    var clear = root.querySelector("[data-signature-clear]");
    var fallback = root.querySelector("[data-signature-fallback]");
    if (!box || !canvas || !field || !canvas.getContext) { return; }
    box.hidden = false;
    if (fallback) { fallback.classList.add("signature-fallback-secondary"); }
    var ctx = canvas.getContext("2d");
    ctx.lineWidth = 2.5; ctx.lineCap = "round"; ctx.lineJoin = "round"; ctx.strokeStyle = "#000";
    var parts = field.value ? [field.value] : [];
    var drawing = false, last = null;

    function point(event) {
      var rect = canvas.getBoundingClientRect();
      return {
        x: round(clamp((event.clientX - rect.left) * WIDTH / rect.width, WIDTH)),
        y: round(clamp((event.clientY - rect.top) * HEIGHT / rect.height, HEIGHT))
      };
    }
    function start(event) {
      event.preventDefault();
      drawing = true;
      if (canvas.setPointerCapture) { canvas.setPointerCapture(event.pointerId); }
      last = point(event);
      parts.push("M" + last.x + " " + last.y);
      ctx.beginPath(); ctx.moveTo(last.x, last.y);
    }
    function move(event) {
      if (!drawing) { return; }
      event.preventDefault();
      var p = point(event);
      if (Math.abs(p.x - last.x) + Math.abs(p.y - last.y) < 1.5) { return; }
      parts.push("L" + p.x + " " + p.y);
      ctx.lineTo(p.x, p.y); ctx.stroke();
      last = p;
    }
    function end() {
      if (!drawing) { return; }
      drawing = false;
      // A single tap is a dot: give it a second point so it is a valid stroke.
      if (parts.length && parts[parts.length - 1].charAt(0) === "M") {
        parts.push("L" + round(clamp(last.x + 1, WIDTH)) + " " + last.y);
      }
      field.value = parts.join(" ");
    }
    canvas.addEventListener("pointerdown", start);
    canvas.addEventListener("pointermove", move);
    canvas.addEventListener("pointerup", end);
    canvas.addEventListener("pointercancel", end);
    canvas.addEventListener("pointerleave", end);
    if (clear) {
      clear.addEventListener("click", function () {
        parts = []; field.value = "";
        ctx.clearRect(0, 0, WIDTH, HEIGHT);
      });
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var pads = document.querySelectorAll("[data-signature-pad]");
    for (var i = 0; i < pads.length; i++) { setup(pads[i]); }
  });
})();
