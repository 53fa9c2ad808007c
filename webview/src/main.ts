// Result console entry point (placeholder until the console lands).
document.body.textContent = 'NetCam result console';
