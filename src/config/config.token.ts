/** Injection token of the validated AppConfig (AppModule.forRoot provides it globally). */
export const APP_CONFIG = Symbol('APP_CONFIG');
