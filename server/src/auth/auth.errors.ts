import { ArgumentsHost, Catch, HttpException, HttpStatus, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';

/** 429 with the seconds to wait, sent as `Retry-After` (RFC 9110 §10.2.3) by RetryAfterFilter. */
export class TooManyAttemptsException extends HttpException {
  constructor(
    message: string,
    readonly retryAfterS: number,
  ) {
    super({ statusCode: HttpStatus.TOO_MANY_REQUESTS, error: 'Too Many Requests', message }, 429);
  }
}

/** Adds `Retry-After` to a TooManyAttemptsException's response (an HttpException cannot carry headers). */
@Catch(TooManyAttemptsException)
export class RetryAfterFilter implements ExceptionFilter {
  catch(exception: TooManyAttemptsException, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    res.setHeader('Retry-After', String(exception.retryAfterS));
    res.status(exception.getStatus()).json(exception.getResponse());
  }
}
