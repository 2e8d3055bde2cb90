// Return paths that leave the site, raw or once URL parsing normalised
// them; shared by the unit test and the browser test of sign-in.

/** The ones that passed the old checks and came back as "//evil.example" (the browser test's). */
export const OFF_SITE_ONCE_NORMALISED = ["/.//evil.example", "/a/..//evil.example", "/%2e//evil.example"];

export const OFF_SITE_RETURN_PATHS = [
  "//evil.example",
  "/\\evil.example",
  "https://evil.example/",
  "javascript:alert(1)",
  ...OFF_SITE_ONCE_NORMALISED,
  "/%2E%2E//evil.example",
  "/a/%2e%2e//evil.example/path?x=1",
  "/..//evil.example",
  "/.//\\evil.example",
  "/\t/evil.example",
  "/\n/evil.example",
  "/./\\/evil.example",
];
