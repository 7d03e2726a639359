document.body.textContent = "notes";
