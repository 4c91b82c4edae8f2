/** What the catalog's endpoints answer (src/inspections/catalog/dto/catalog.dto.ts). */

/** ItemView */
export interface Item {
  id: number;
  code: string;
  name: string;
  department: string;
  legalBasis: string;
  checkMethod: 'on_site' | 'documents' | 'data';
  industries: string[];
  requirements: string[];
  fullCoverage: boolean;
  fullCoveragePerYear: number | null;
  active: boolean;
}

/** InspectorView */
export interface Inspector {
  userId: number;
  username: string;
  displayName: string;
  department: string;
  credentialNo: string;
  active: boolean;
  onRoster: boolean;
  areas: string[];
  items: { id: number; code: string; name: string }[];
}

/** RecusalView */
export interface Recusal {
  id: number;
  inspector: { userId: number | null; displayName: string; credentialNo: string; department: string | null };
  enterprise: { uscc: string; name: string };
  source: 'inspector' | 'enterprise' | 'regulator';
  reason: string;
  status: 'pending' | 'approved' | 'rejected';
  requestedAt: string;
  reviewedAt: string | null;
  reviewNote: string | null;
}
