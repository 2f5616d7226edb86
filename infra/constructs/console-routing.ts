/**
 * The CloudFront Function (cloudfront-js-2.0, viewer request) on the console's behaviors. The console
 * routes in the browser, so every page (/console/leads/abc, /console/callback?code=...) is its
 * index.html; files (a dot in the last path segment: assets, config.json) are fetched as they are.
 * /console redirects to /console/, where the files' relative paths hold. Error-page rewrites on the
 * distribution would do the same for the API's 404s too, so the rewrite is done here, for the console only.
 */
export const CONSOLE_ROUTING_CODE = `function handler(event) {
  var request = event.request;
  var uri = request.uri;
  if (uri === '/console') {
    return {
      statusCode: 301,
      statusDescription: 'Moved Permanently',
      headers: { location: { value: '/console/' }, 'cache-control': { value: 'max-age=3600' } },
    };
  }
  var last = uri.substring(uri.lastIndexOf('/') + 1);
  if (last.indexOf('.') === -1) request.uri = '/console/index.html';
  return request;
}`;
