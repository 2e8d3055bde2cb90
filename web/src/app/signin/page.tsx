import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SignInForm } from "@/components/client/SignInForm";
import { safeReturnPath } from "@/lib/safe-path";
import { getSession } from "@/lib/server/session";

export const metadata: Metadata = { title: "Sign in" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function SignInPage({ searchParams }: Props) {
  const next = safeReturnPath((await searchParams).next);
  if (await getSession()) redirect(next);
  return (
    <>
      <h1>Sign in</h1>
      <SignInForm next={next} />
    </>
  );
}
