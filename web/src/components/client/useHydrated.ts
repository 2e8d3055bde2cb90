"use client";

import { useSyncExternalStore } from "react";

const subscribe = () => () => {};

/**
 * useHydrated is false in the server's HTML and true once React runs in the
 * browser: forms that post secrets keep their button disabled until then,
 * so an early click can never submit them as a plain GET with the password
 * or card number in the URL.
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
}
