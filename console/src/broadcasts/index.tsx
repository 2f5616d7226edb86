export { NewBroadcastPage } from './create';
export { BroadcastPage } from './detail';
export { BroadcastsPage } from './list';
