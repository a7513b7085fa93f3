// Sign-in: the server checks the key and sets an HttpOnly session cookie; the secret is never stored here.
'use strict';

document.getElementById('signin').addEventListener('submit', async e => {
  e.preventDefault();
  const error = document.getElementById('signin-error');
  try {
    await Console.api('POST', 'session', {
      accessKey: document.getElementById('accessKey').value.trim(),
      secretKey: document.getElementById('secretKey').value,
    });
    location.href = './';
  } catch (err) {
    error.textContent = err.message;
    error.classList.remove('hidden');
  }
});
