// Vite turns these imports into a stylesheet link and an asset URL at build time.
declare module '*.css'
declare module '*.svg' {
  const url: string
  export default url
}
