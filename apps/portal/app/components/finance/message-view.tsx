/**
 * A stored message as the recipient saw it: HTML in a sandboxed iframe (no scripts, no same-origin
 * access, so a message can never act in the console), else its text.
 */
export function MessageView({
  subject,
  html,
  text,
  title,
}: {
  subject: string | null;
  html: string | null;
  text: string;
  title: string;
}) {
  return (
    <div>
      {subject ? (
        <p>
          <strong>Subject:</strong> {subject}
        </p>
      ) : null}
      {html ? (
        <iframe className="fin-message-frame" sandbox="" srcDoc={html} title={title} />
      ) : (
        <pre>{text}</pre>
      )}
    </div>
  );
}
