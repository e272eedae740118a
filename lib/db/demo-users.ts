// The demo accounts the seed creates and the login page lists.
export const DEMO_USERS = [
  { email: "alice@example.com", password: "alice-demo-pass", isAdmin: false },
  { email: "bob@example.com", password: "bob-demo-pass", isAdmin: false },
  { email: "admin@example.com", password: "admin-demo-pass", isAdmin: true },
] as const;
