import { Body, Container, Head, Hr, Html, Img, Link, Preview, Section, Text } from '@react-email/components';
import type { Organization } from '@settle/db';
import { renderToStaticMarkup } from 'react-dom/server';

interface ReminderEmailProps {
  subject: string;
  text: string;
  organization: Pick<
    Organization,
    'name' | 'logo_url' | 'address_line1' | 'postal_code' | 'city' | 'sender_email'
  >;
}

const URL_PATTERN = /(https?:\/\/[^\s]+)/g;

/** Turns the rendered template's plain text into paragraphs, with links made clickable. */
function Paragraph({ line }: { line: string }) {
  const parts = line.split(URL_PATTERN);
  return (
    <Text
      style={{
        fontSize: '15px',
        lineHeight: '22px',
        margin: '0 0 12px',
        color: '#1f2937',
        whiteSpace: 'pre-line',
      }}
    >
      {parts.map((part, index) =>
        index % 2 === 1 ? (
          <Link key={index} href={part} style={{ color: '#1d4ed8' }}>
            {part}
          </Link>
        ) : (
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
          {organization.logo_url ? (
            <Img src={organization.logo_url} alt={organization.name} height="40" />
          ) : null}
          <Section>
            {paragraphs.map((paragraph, index) => (
              <Paragraph key={index} line={paragraph} />
            ))}
          </Section>
          <Hr />
          <Text style={{ fontSize: '12px', color: '#6b7280' }}>
            {organization.name} · {organization.address_line1} · {organization.postal_code}{' '}
            {organization.city} · {organization.sender_email}
          </Text>
        </Container>
      </Body>
    </Html>
  );
}

const DOCTYPE =
  '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">';

/**
 * HTML for an e-mail whose plain-text body is `text` (the plain text is sent alongside). Rendered
 * synchronously: React Email's streaming `render` corrupted multi-byte characters at chunk borders
 * into NUL bytes here (seen with Polish text), which PostgreSQL rightly refuses.
 */
export async function renderEmailHtml(props: ReminderEmailProps): Promise<string> {
  return DOCTYPE + renderToStaticMarkup(<ReminderEmail {...props} />);
}
