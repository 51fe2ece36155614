// An MLLP server that parses every HL7 v2 message and answers AA, storing nothing (@medplum/hl7's Hl7Server).
// The HL7 ingest benchmark (bench/Hl7Load) drives it with the same simulated monitors as KetaClinic, as a ceiling.
// Usage: node server.js [port]   (prints "listening <port>" when ready)
'use strict';
const { Hl7Server } = require('@medplum/hl7');

const port = Number(process.argv[2] || 2576);
const server = new Hl7Server((connection) => {
  connection.addEventListener('message', ({ message }) => {
    connection.send(message.buildAck());
  });
  connection.addEventListener('error', () => {});
});
server.start(port);
console.log(`listening ${port}`);
process.on('SIGTERM', () => server.stop({ forceDrainTimeoutMs: 100 }).finally(() => process.exit(0)));
