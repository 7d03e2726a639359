document.body.textContent = "note";
