/**
 * The signed-in person, for both apps (contract A): the session lives in an httpOnly cookie the
 * page never reads; what the page keeps, in memory only, is the SessionView (user, menu,
 * settings) and its CSRF token. A reload asks the service again (GET /api/auth/session).
 */
import { reactive } from 'vue';
import { ApiError, api, endSession, lastAnswer, setCsrfToken } from './api';

export interface UserView {
  id: number;
  username: string;
  displayName: string | null;
  role: 'admin' | 'regulator' | 'inspector' | 'enterprise';
  department: string | null;
  credentialNo: string | null;
  uscc: string | null;
  active?: boolean;
}

export interface MenuItem {
  key: string;
  title: string;
  path: string;
  icon?: string;
  /** the submenu the item is shown in (auth/menu.ts) */
  group?: string;
}

export interface SessionView {
  user: UserView;
  csrfToken: string;
  idleTimeoutSeconds: number;
  expiresAt: string;
  menu: MenuItem[];
  settings: { enterpriseTierVisible: boolean; district: string };
}

/** Chinese names of the roles (src/auth/roles.ts ROLE_LABELS). */
export const ROLE_LABELS: Record<UserView['role'], string> = {
  admin: '系统管理员',
  regulator: '监管人员',
  inspector: '执法检查人员',
  enterprise: '市场主体',
};

export const session = reactive<{ current: SessionView | null; checked: boolean }>({
  current: null,
  checked: false,
});

let idleWatch: ReturnType<typeof setInterval> | null = null;

/**
 * The page's own idle clock: the service ends a session after idleTimeoutSeconds without a
 * request (the admin's setting); a page left open would go on showing enterprise data until the
 * next click. So once that long has passed since the service last answered, the page ends the
 * session itself (back to sign-in, as on a 401).
 */
function watchIdle(view: SessionView | null): void {
  if (idleWatch) clearInterval(idleWatch);
  idleWatch = null;
  if (!view) return;
  idleWatch = setInterval(() => {
    const current = session.current;
    if (current && Date.now() - lastAnswer() >= current.idleTimeoutSeconds * 1000) endSession();
  }, 10_000);
}

function keep(view: SessionView | null): SessionView | null {
  session.current = view;
  session.checked = true;
  setCsrfToken(view?.csrfToken ?? null);
  watchIdle(view);
  return view;
}

/** The session of this browser, or null when signed out (asked once, then kept). */
export async function loadSession(force = false): Promise<SessionView | null> {
  if (session.checked && !force) return session.current;
  try {
    return keep(await api<SessionView>('GET', '/api/auth/session', undefined, true));
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return keep(null);
    throw e;
  }
}

/**
 * Signs in (POST /api/auth/session). @throws ApiError: 401 wrong username or password, 429 too
 * many attempts
 */
export async function signIn(username: string, password: string): Promise<SessionView> {
  return keep(await api<SessionView>('POST', '/api/auth/session', { username, password }, true))!;
}

/** Signs out this browser (DELETE /api/auth/session); the page forgets the session even if the call fails. */
export async function signOut(): Promise<void> {
  try {
    await api<void>('DELETE', '/api/auth/session', undefined, true);
  } finally {
    keep(null);
  }
}

/**
 * After a password change from this browser (POST /api/auth/password): the service moved it to a
 * new session, with a new cookie and a new CSRF token; the page keeps the new token and user.
 */
export function sessionRenewed(answer: { user: UserView; csrfToken: string } | undefined): void {
  if (!session.current || !answer?.csrfToken) return;
  session.current.csrfToken = answer.csrfToken;
  session.current.user = { ...session.current.user, ...answer.user };
  setCsrfToken(answer.csrfToken);
}

/** Forgets the session without asking the service (it answered 401). */
export function sessionEnded(): void {
  keep(null);
}

/** A menu path of the phone pages (/m and below), which the workbench does not show; /my/tasks is not one. */
export function isPhonePath(path: string): boolean {
  return path === '/m' || path.startsWith('/m/');
}

/** The district's name (DISTRICT_NAME of the service; 杨浦区 before sign-in). */
export function districtName(): string {
  return session.current?.settings.district ?? '杨浦区';
}
