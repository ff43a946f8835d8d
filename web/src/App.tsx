import { createBrowserRouter, Navigate, NavLink, Outlet, useLocation } from 'react-router';
import { credential } from './api/credential';
import { signOut, useMediaCredential } from './api/mediaCredential';
import { useMe } from './api/me';
import { Admin } from './views/Admin';
import { Asset } from './views/Asset';
import { Library } from './views/Library';
import { Operations } from './views/Operations';
import { PIPELINE_ROUTES } from './views/pipelineRoutes';
import { Search } from './views/Search';
import { SignIn } from './views/SignIn';
import { SignInCallback } from './views/SignInCallback';
import { Upload } from './views/Upload';
import { useDocumentTitle } from './components/ViewHeading';

/** Every view but sign-in: the navigation, and the view, once the user has signed in. */
function Layout() {
  const location = useLocation();
  if (!credential.get()) return <Navigate to={`/sign-in?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  return <SignedIn />;
}

/** The views, once the browser holds the media cookie that its pictures and players need. */
function SignedIn() {
  const mediaReady = useMediaCredential();
  const me = useMe();
  return (
    <>
      <header className="top">
        <h1>medialake</h1>
        <nav aria-label="Views">
          <NavLink to="/" end>
            Library
          </NavLink>
          <NavLink to="/find">Search</NavLink>
          <NavLink to="/albums">Collections</NavLink>
          {me?.may.includes('upload') && <NavLink to="/upload">Upload</NavLink>}
          <NavLink to="/operations">Operations</NavLink>
          <NavLink to="/pipeline">Pipelines</NavLink>
          {me?.may.includes('manageUsers') && <NavLink to="/admin">Admin</NavLink>}
        </nav>
        <button type="button" className="sign-out" onClick={() => void signOut()}>
          Sign out
        </button>
      </header>
      <main>{mediaReady ? <Outlet /> : <p className="placeholder">Signing in…</p>}</main>
    </>
  );
}

function NotFound() {
  useDocumentTitle('Not found');
  return <p role="alert">There is no such page here.</p>;
}

/**
 * The UI's routes. None starts like an API path (/assets, /search…): the
 * server answers those itself and gives the UI every other navigation.
 */
export const router = createBrowserRouter([
  { path: '/sign-in', element: <SignIn /> },
  { path: '/sign-in/callback', element: <SignInCallback /> },
  {
    element: <Layout />,
    // What shows while a route loaded when first visited (below) loads, where the page opens on it.
    hydrateFallbackElement: <p className="placeholder">Loading…</p>,
    children: [
      { path: '/', element: <Library /> },
      { path: '/find', element: <Search /> },
      { path: '/asset/:id', element: <Asset /> },
      // Loaded when first visited, each in a chunk of its own: the initial route's JavaScript stays within its budget (docs/web.md).
      { path: '/albums', lazy: async () => ({ Component: (await import('./views/Collections')).Collections }) },
      { path: '/albums/favourites', lazy: async () => ({ Component: (await import('./views/Favourites')).Favourites }) },
      { path: '/albums/:id', lazy: async () => ({ Component: (await import('./views/Collection')).Collection }) },
      { path: '/upload', element: <Upload /> },
      { path: '/operations', element: <Operations /> },
      ...PIPELINE_ROUTES,
      { path: '/admin', element: <Admin /> },
      { path: '*', element: <NotFound /> },
    ],
  },
]);
