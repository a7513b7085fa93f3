// The Create form: sends CreateModelInvocationJob's body and shows the API's own error, word for word.
'use strict';

(async () => {
  const { api } = Console;
  const value = id => document.getElementById(id).value.trim();
  const error = document.getElementById('create-error');

  document.getElementById('create').addEventListener('submit', async e => {
    e.preventDefault();
    const body = {
      jobName: value('jobName'),
      modelId: value('modelId'),
      roleArn: value('roleArn'),
      modelInvocationType: value('invocationType'),
      inputDataConfig: { s3InputDataConfig: { s3Uri: value('inputUri') } },
      outputDataConfig: { s3OutputDataConfig: { s3Uri: value('outputUri') } },
    };
    // what is left empty is left out, so the API says what is missing as it would to any client
    Object.keys(body).forEach(k => { if (body[k] === '') delete body[k]; });
    if (value('timeout')) body.timeoutDurationInHours = /^\d+$/.test(value('timeout')) ? Number(value('timeout')) : value('timeout');
    if (value('token')) body.clientRequestToken = value('token');
    try {
      const created = await api('POST', 'jobs', body);
      location.href = 'job.html?id=' + encodeURIComponent(created.jobArn.split('/').pop());
    } catch (err) {
      error.textContent = err.type + ': ' + err.message;
      error.classList.remove('hidden');
    }
  });
  await Console.header();
})();
