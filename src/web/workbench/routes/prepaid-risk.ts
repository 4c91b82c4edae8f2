import type { RouteRecordRaw } from 'vue-router';

/**
 * 预付卡风险 (issue 14): the risk map by street, the alert list, one alert's disposal, an issuer's
 * risk (trend, assessment as of a day, alerts with their evidence). The data pages
 * (/prepaid/issuers, /prepaid/issuers/:uscc/data, /prepaid/import) are the data slice's.
 */
export const prepaidRiskRoutes: RouteRecordRaw[] = [
  {
    path: 'prepaid/map',
    component: () => import('../pages/prepaid/RiskMapPage.vue'),
    meta: { title: '预付卡风险地图', menu: 'prepaid-map' },
  },
  {
    path: 'prepaid/alerts',
    component: () => import('../pages/prepaid/AlertListPage.vue'),
    meta: { title: '预付卡风险预警', menu: 'prepaid-alerts' },
  },
  {
    path: 'prepaid/alerts/:id(\\d+)',
    component: () => import('../pages/prepaid/AlertDetailPage.vue'),
    meta: { title: '预警处置', menu: 'prepaid-alerts' },
  },
  {
    path: 'prepaid/issuers/:uscc([0-9A-Za-z]{18})',
    component: () => import('../pages/prepaid/IssuerRiskPage.vue'),
    meta: { title: '经营者风险', menu: 'prepaid-alerts' },
  },
];
