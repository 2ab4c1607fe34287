import { Link } from 'react-router';

export default function NotFound() {
  return (
    <div className="error-state">
      <p className="big-404">404</p>
      <h1>Not Found</h1>
      <p>The page you are looking for could not be found.</p>
      <Link to="/">Home</Link>
    </div>
  );
}
