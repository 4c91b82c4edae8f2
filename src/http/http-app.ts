import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AppModule } from '../app.module.js';
import { AppConfig } from '../config/configuration.js';
import { logLevels } from '../bootstrap.js';
import { validationPipe } from './api-errors.js';

/** Builds the HTTP application: validation (422 by field), OpenAPI at /docs (JSON at /docs-json). */
export async function createHttpApp(databaseUrl: string, config: AppConfig): Promise<INestApplication> {
  const app = await NestFactory.create(AppModule.forRoot({ databaseUrl }), {
    logger: logLevels(config.LOG_LEVEL),
  });
  app.useGlobalPipes(validationPipe());
  const doc = new DocumentBuilder()
    .setTitle('信用风险分类监管服务 Credit-based risk-tiered supervision')
    .setDescription(
      'Enterprise register, credit records, credit scores and risk tiers. See README and docs/.',
    )
    .setVersion('0.1.0')
    .build();
  SwaggerModule.setup('docs', app, () => SwaggerModule.createDocument(app, doc), {
    jsonDocumentUrl: 'docs-json',
  });
  return app;
}
