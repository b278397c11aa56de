class HttpError extends Error {
  constructor(status, message) {
    super(message);
    this.name = this.constructor.name;
    this.status = status;
  }
}
class NotFound extends HttpError {
  constructor(what) {
    super(404, `${what} not found`);
  }
}
class Unauthorized extends HttpError {
  constructor() {
    super(401, 'email or password is invalid');
  }
}

/** Express 4 does not catch rejected promises: route handlers are wrapped. */
const asyncHandler = (fn) => (req, res, next) => Promise.resolve(fn(req, res, next)).catch(next);

module.exports = { HttpError, NotFound, Unauthorized, asyncHandler };
