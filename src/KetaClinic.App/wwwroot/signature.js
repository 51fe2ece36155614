// Signature pad: records strokes drawn with a mouse, pen or finger on a <canvas> and returns them as SVG path
// data ("M10 20 L12 24 ...") in the canvas's own 600 x 200 units, so the signature is small and re-drawable.
window.ketaSignature = (() => {
  const pads = new WeakMap();

  function point(canvas, e) {
    const r = canvas.getBoundingClientRect();
    const x = Math.round((e.clientX - r.left) * canvas.width / r.width);
    const y = Math.round((e.clientY - r.top) * canvas.height / r.height);
    return [Math.min(Math.max(x, 0), canvas.width), Math.min(Math.max(y, 0), canvas.height)];
  }

  function redraw(canvas, strokes) {
    const g = canvas.getContext('2d');
    g.clearRect(0, 0, canvas.width, canvas.height);
    g.lineWidth = 2.5;
    g.lineCap = 'round';
    g.lineJoin = 'round';
    g.strokeStyle = '#1d2733';
    for (const s of strokes) {
      g.beginPath();
      s.forEach(([x, y], i) => (i === 0 ? g.moveTo(x, y) : g.lineTo(x, y)));
      if (s.length === 1) { g.lineTo(s[0][0] + 0.5, s[0][1]); }
      g.stroke();
    }
  }

  return {
    attach(canvas) {
      if (!canvas || pads.has(canvas)) { return; }
      const pad = { strokes: [], drawing: false };
      pads.set(canvas, pad);
      canvas.dataset.ready = '1';
      canvas.style.touchAction = 'none';
      canvas.addEventListener('pointerdown', e => {
        pad.drawing = true;
        canvas.setPointerCapture?.(e.pointerId);
        pad.strokes.push([point(canvas, e)]);
        redraw(canvas, pad.strokes);
      });
      canvas.addEventListener('pointermove', e => {
        if (!pad.drawing) { return; }
        const stroke = pad.strokes[pad.strokes.length - 1];
        const p = point(canvas, e);
        const last = stroke[stroke.length - 1];
        if (p[0] !== last[0] || p[1] !== last[1]) { stroke.push(p); redraw(canvas, pad.strokes); }
      });
      const end = () => { pad.drawing = false; };
      canvas.addEventListener('pointerup', end);
      canvas.addEventListener('pointercancel', end);
      canvas.addEventListener('pointerleave', end);
    },
    clear(canvas) {
      const pad = pads.get(canvas);
      if (pad) { pad.strokes = []; redraw(canvas, pad.strokes); }
    },
    path(canvas) {
      const pad = pads.get(canvas);
      if (!pad) { return ''; }
      return pad.strokes
        .map(s => s.map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${x} ${y}`).join(' '))
        .join(' ');
    },
  };
})();
