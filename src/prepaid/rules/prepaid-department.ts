/**
 * The department that receives and disposes of prepaid-risk alerts: the district market-supervision
 * bureau (市场监督管理局), which runs this service and enforces the prepaid-card rules on contracts, prices
 * and consumer rights (上海市单用途预付消费卡管理规定 2018). A sector's own competent department
 * (行业主管部门: commerce, education, sports) is reached by a disposal of kind `referral` naming it.
 */
export const PREPAID_DEPARTMENT = 'market' as const;
