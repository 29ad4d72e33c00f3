export { describeClientReport } from './client.js'
export { describeProbeReport } from './probe.js'
export { describeServerReport } from './server.js'
export { describeRun, htmlReport } from './vectors.js'
