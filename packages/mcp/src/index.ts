export { BaseError } from '@agentpmt-kit/canonical-json'
export {
  createMcpServer,
  type McpServerOptions,
  type McpToolName,
  mcpToolNames,
} from './createMcpServer.js'
export { type ServeStdioOptions, type StdioServing, serveStdio } from './serveStdio.js'
