export { infraUrls, NO_INFRA_MESSAGE, type InfraUrls } from './infra';
export { testNames, randomId, type TestNames } from './names';
export { startTcpProxy, type TcpProxy } from './tcp-proxy';
export { waitFor, type WaitForOptions } from './wait-for';
export { json, type ApiBody } from './http';
export { serviceEnv, TEST_INTERNAL_SECRET } from './service-env';
export { describeServiceBasics } from './service-basics';
export { deleteAmqpNames, peekQueue } from './amqp';
export { startEventRecorder, type EventRecorder } from './event-recorder';
