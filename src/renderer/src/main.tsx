import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
// Base styles first so feature stylesheets (imported by the views) can refine them.
import './app/styles.css';
import { App } from './app/App';

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
