/**
 * The sales pages of the console: the rep's Inbox (/console/inbox) and the manager's Team view
 * (/console/team). The app shell routes to them; each page loads its own data through the API client.
 */
export { SalesInbox } from './inbox';
export { ManagerView } from './team';
