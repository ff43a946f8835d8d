/**
 * Set by a front that speaks HTTPS to viewers and plain HTTP to the API (the
 * AWS stack's CloudFront before its load balancer, which sets
 * X-Forwarded-Proto to its own `http`): the viewer's scheme, for the media
 * cookie's Secure. Sent by anyone else it only makes their own cookie Secure.
 */
export const VIEWER_PROTOCOL_HEADER = 'x-medialake-viewer-protocol';
