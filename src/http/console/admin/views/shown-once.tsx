// A secret made for someone (a new account's password, an API token), shown on the answer to the POST that
// made it and never again: nothing stores it in the clear, and the answer is not a page a reload repeats.

export interface ShownOnceProps {
  notice: string;
  label: string;
  secret: string;
  testId: string;
  once: string;
  back: { href: string; text: string };
}

export function ShownOnce({ notice, label, secret, testId, once, back }: ShownOnceProps) {
  return (
    <>
      <p class="notice" role="status">
        {notice}
      </p>
      <p>
        {label} <code data-testid={testId}>{secret}</code>
      </p>
      <p class="warn">{once}</p>
      <p>
        <a href={back.href}>{back.text}</a>
      </p>
    </>
  );
}
