import {
  CallHandler,
  ExecutionContext,
  HttpException,
  Injectable,
  NestInterceptor,
  PayloadTooLargeException,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import multer from 'multer';
import { Observable } from 'rxjs';
import { MAX_FILE_BYTES, MAX_FILES, UPLOAD_FIELDS } from './rules/uploads.js';

const upload = multer({
  storage: multer.memoryStorage(),
  // browsers send a file's name as UTF-8 without saying so (承诺书.pdf, not latin1 mojibake)
  defParamCharset: 'utf8',
  limits: { fileSize: MAX_FILE_BYTES, files: MAX_FILES, fields: 20, fieldSize: 64 * 1024, parts: 40 },
}).fields(Object.entries(UPLOAD_FIELDS).map(([name, f]) => ({ name, maxCount: f.max })));

/**
 * Reads the multipart body of a repair application (multer, memory storage, limits from
 * rules/uploads.ts) and answers its limits with errors naming the field: a file over 10 MiB 413,
 * too many files or an unknown file field 422, a body that is not multipart 422.
 */
@Injectable()
export class RepairUploadInterceptor implements NestInterceptor {
  async intercept(ctx: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const http = ctx.switchToHttp();
    const req = http.getRequest<Request>();
    if (!req.is('multipart/form-data'))
      throw fieldError(422, 'body', '请以 multipart/form-data 提交申请和附件');
    await new Promise<void>((resolve, reject) =>
      upload(req, http.getResponse<Response>(), (err: unknown) => {
        if (!err) return resolve();
        if (err instanceof multer.MulterError) {
          const field = err.field ?? 'files';
          if (err.code === 'LIMIT_FILE_SIZE')
            return reject(
              new PayloadTooLargeException({
                statusCode: 413,
                error: 'Payload Too Large',
                message: `${field}: 文件超过 10 MiB`,
                errors: [{ field, reason: '文件超过 10 MiB' }],
              }),
            );
          if (err.code === 'LIMIT_UNEXPECTED_FILE')
            return reject(
              fieldError(
                422,
                field,
                `不接受该文件字段，或该字段文件过多（${Object.entries(UPLOAD_FIELDS)
                  .map(([k, f]) => `${k} 至多 ${f.max} 个`)
                  .join('，')}）`,
              ),
            );
          return reject(fieldError(422, field, `上传内容超出限制（${err.code}），至多 ${MAX_FILES} 个文件`));
        }
        reject(fieldError(422, 'body', '无法读取上传内容'));
      }),
    );
    return next.handle();
  }
}

function fieldError(status: number, field: string, reason: string): HttpException {
  return new HttpException(
    {
      statusCode: status,
      error: 'Unprocessable Entity',
      message: `${field}: ${reason}`,
      errors: [{ field, reason }],
    },
    status,
  );
}
