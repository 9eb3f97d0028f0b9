/// <reference types="vite/client" />
declare module '*.vue' {
  import type { DefineComponent } from 'vue';
  const component: DefineComponent<object, object, unknown>;
  export default component;
}

interface ImportMetaEnv {
  /** Origin of the server when the web app is served elsewhere (empty: same origin). */
  readonly VITE_SERVER_ORIGIN?: string;
}
