// Express 4 does not catch a rejected promise from a handler: this hands it to next(err),
// so the error handler in app.js answers 500 instead of the request hanging.
function asyncHandler(handler) {
  return (req, res, next) => Promise.resolve(handler(req, res, next)).catch(next);
}

module.exports = { asyncHandler };
