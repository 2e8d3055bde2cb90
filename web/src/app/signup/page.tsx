import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SignUpForm } from "@/components/client/SignUpForm";
import { safeReturnPath } from "@/lib/safe-path";
import { getSession } from "@/lib/server/session";

export const metadata: Metadata = { title: "Create an account" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function SignUpPage({ searchParams }: Props) {
  const next = safeReturnPath((await searchParams).next);
  if (await getSession()) redirect(next);
  return (
    <>
      <h1>Create an account</h1>
      <SignUpForm next={next} />
    </>
  );
}
