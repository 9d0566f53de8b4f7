import { Body, Container, Head, Hr, Html, Img, Link, Preview, Section, Text, render } from '@react-email/components';
import type { Organization } from '@settle/db';

interface ReminderEmailProps {
  subject: string;
  text: string;
  organization: Pick<Organization, 'name' | 'logo_url' | 'address_line1' | 'postal_code' | 'city' | 'sender_email'>;
}

const URL_PATTERN = /(https?:\/\/[^\s]+)/g;

/** Turns the rendered template's plain text into paragraphs, with links made clickable. */
function Paragraph({ line }: { line: string }) {
  const parts = line.split(URL_PATTERN);
  return (
    <Text style={{ fontSize: '15px', lineHeight: '22px', margin: '0 0 12px', color: '#1f2937', whiteSpace: 'pre-line' }}>
      {parts.map((part, index) =>
        index % 2 === 1 ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: parts of one line never reorder
          <Link key={index} href={part} style={{ color: '#1d4ed8' }}>
            {part}
          </Link>
        ) : (
          // biome-ignore lint/suspicious/noArrayIndexKey: parts of one line never reorder
          <span key={index}>{part}</span>
        ),
      )}
    </Text>
  );
}

export function ReminderEmail({ subject, text, organization }: ReminderEmailProps) {
  const paragraphs = text.split(/\n{2,}/);
  return (
    <Html>
      <Head />
      <Preview>{subject}</Preview>
      <Body style={{ backgroundColor: '#f3f4f6', fontFamily: 'Helvetica, Arial, sans-serif' }}>
        <Container style={{ backgroundColor: '#ffffff', padding: '24px', maxWidth: '600px' }}>
          {organization.logo_url ? <Img src={organization.logo_url} alt={organization.name} height="40" /> : null}
          <Section>
            {paragraphs.map((paragraph, index) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: paragraphs of one message never reorder
              <Paragraph key={index} line={paragraph} />
            ))}
          </Section>
          <Hr />
          <Text style={{ fontSize: '12px', color: '#6b7280' }}>
            {organization.name} · {organization.address_line1} · {organization.postal_code} {organization.city} ·{' '}
            {organization.sender_email}
          </Text>
        </Container>
      </Body>
    </Html>
  );
}

/** HTML for an e-mail whose plain-text body is `text` (the plain text is sent alongside). */
export function renderEmailHtml(props: ReminderEmailProps): Promise<string> {
  return render(<ReminderEmail {...props} />);
}
