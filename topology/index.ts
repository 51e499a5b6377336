// The stack's services as a deployment target places them: each service's host name and its
// container ports (fixed by the images), and the addresses and URLs built from them. Generators and
// stack components read these instead of spelling `otel-collector:8888` themselves, so a second target
// (Kubernetes, a compose file) is a second Topology value plus its components.
export type { PortName, ServiceId, Topology } from "./types";
export { SERVICE_IDS, SERVICE_PORTS } from "./types";
export { containerPort, endpoint, httpUrl, listenAddress, localUrl, LISTEN_ALL } from "./urls";
export { DOCKER_TOPOLOGY } from "./docker";
