import Link from "next/link";
import { connection } from "next/server";
import { AuthCard } from "@/app/components/page-parts";
import { SignUpForm } from "./signup-form";

export default async function SignUpPage() {
  await connection(); // rendered per request, so the scripts carry this request's CSP nonce
  return (
    <AuthCard
      title="Create an account"
      footer={
        <p className="text-center text-sm text-slate-600">
          Already have one?{" "}
          <Link href="/login" className="font-medium text-slate-900 underline underline-offset-2">
            Sign in
          </Link>
        </p>
      }
    >
      <SignUpForm />
    </AuthCard>
  );
}
