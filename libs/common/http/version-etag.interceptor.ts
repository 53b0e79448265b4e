import {
  type CallHandler,
  type ExecutionContext,
  Injectable,
  type NestInterceptor,
  UseInterceptors,
} from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { map, type Observable } from 'rxjs';
import { etagOf } from './version-etag.js';

/** Sets `ETag: "<version>"` when the handler returns a resource with an integer `version`. */
@Injectable()
export class VersionETagInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    return next.handle().pipe(
      map((body: unknown) => {
        const version = (body as { version?: unknown } | null | undefined)?.version;
        if (Number.isInteger(version)) void reply.header('ETag', etagOf(version as number));
        return body;
      }),
    );
  }
}

/** `@VersionETag()` on a handler that returns a versioned resource: the response carries its ETag. */
export const VersionETag = (): MethodDecorator & ClassDecorator =>
  UseInterceptors(VersionETagInterceptor);
