// A short two-tone beep for a new chair alert (no audio file needed).
window.ketaClinicBeep = function () {
    try {
        const ctx = new (window.AudioContext || window.webkitAudioContext)();
        [880, 660].forEach(function (freq, i) {
            const osc = ctx.createOscillator();
            const gain = ctx.createGain();
            osc.frequency.value = freq;
            gain.gain.value = 0.15;
            osc.connect(gain);
            gain.connect(ctx.destination);
            osc.start(ctx.currentTime + i * 0.25);
            osc.stop(ctx.currentTime + i * 0.25 + 0.2);
        });
    } catch (e) {
        // Browsers may block audio until the page has been clicked; the visual alert is what counts.
    }
};
