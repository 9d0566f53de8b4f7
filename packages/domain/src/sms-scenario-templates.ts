import type { DefaultTemplate } from './template-locales';

// The texts of the SMS scenario preset (policy-presets.ts). They have their own keys rather than the
// default policy's `due-day` SMS so that editing one sequence's wording never changes the other's.
// Dates are named, never "today": a caught-up or merged SMS goes out on another day than planned and
// must still be true. Each SMS stays within two segments with typical values (see the test).

const lines = (...rows: string[]): string => rows.join('\n');

const en: DefaultTemplate[] = [
  {
    key: 'sms-invoice-issued',
    channel: 'sms',
    locale: 'en',
    subject: '',
    body: '{{company.name}}: thank you for your business. Invoice {{invoice.numbers}} for {{invoice.amount}} is payable by {{invoice.dueDate}}. View and pay: {{portal.url}}',
  },
  {
    key: 'sms-pre-due',
    channel: 'sms',
    locale: 'en',
    subject: '',
    body: '{{company.name}}: a friendly reminder that invoice {{invoice.numbers}} ({{invoice.balance}}) falls due on {{invoice.dueDate}}. Pay: {{portal.url}} If you have paid in the meantime, please ignore this message and accept our apologies.',
  },
  {
    key: 'sms-due-day',
    channel: 'sms',
    locale: 'en',
    subject: '',
    body: '{{company.name}}: invoice {{invoice.numbers}} ({{invoice.balance}}) falls due on {{invoice.dueDate}} and, unless there is an error or oversight on our side, is still open. Pay: {{portal.url}} If you have paid in the meantime, please ignore this message and accept our apologies.',
  },
  {
    key: 'sms-overdue',
    channel: 'sms',
    locale: 'en',
    subject: '',
    body: '{{company.name}}: unless there is an error or oversight on our side, invoice {{invoice.numbers}} ({{invoice.balance}}) is {{invoice.daysOverdue}} days overdue. Pay: {{portal.url}} If you have paid in the meantime, please ignore this message and accept our apologies.',
  },
  {
    key: 'sms-thank-you',
    channel: 'sms',
    locale: 'en',
    subject: '',
    body: '{{company.name}}: thank you, we have received your payment for invoice {{invoice.numbers}}. Your statement: {{portal.url}}',
  },
  {
    key: 'sms-collections-handover',
    channel: 'collections',
    locale: 'en',
    subject: 'Hand over to collections: {{customer.name}} ({{customer.code}}), {{invoice.balance}}',
    body: lines(
      'Invoice {{invoice.numbers}} to {{customer.name}} ({{customer.code}}) is {{invoice.daysOverdue}} days overdue, and the SMS reminder sequence has ended without payment. No letter was sent in this sequence.',
      '',
      'Amount to hand over: {{invoice.balance}}',
      '{{invoice.list}}',
      "Customer's total overdue balance: {{customer.totalOverdue}}",
      '',
      'Before handing over:',
      '1. Check that no payment, dispute or promise to pay has been recorded since the last SMS.',
      '2. Check the delivery of the SMS in the invoice history; if they did not arrive, call the customer first.',
      '3. Consider a formal final notice by post: many agencies expect one, and it is where statutory late-payment charges are claimed.',
      '4. Put the file together: copies of the invoices, the history of reminders, the contract or order confirmation, and correspondence with the customer.',
      '5. Send the file to the collection agency, enter its reference here and mark the invoice as handed over to collections.',
    ),
  },
];

const pl: DefaultTemplate[] = [
  {
    key: 'sms-invoice-issued',
    channel: 'sms',
    locale: 'pl',
    subject: '',
    body: '{{company.name}}: dziękujemy za współpracę. Wystawiliśmy fakturę {{invoice.numbers}} na kwotę {{invoice.amount}}, termin płatności {{invoice.dueDate}}. Podgląd i płatność: {{portal.url}}',
  },
  {
    key: 'sms-pre-due',
    channel: 'sms',
    locale: 'pl',
    subject: '',
    body: '{{company.name}}: uprzejmie przypominamy, że termin płatności faktury {{invoice.numbers}} ({{invoice.balance}}) upływa {{invoice.dueDate}}. Płatność: {{portal.url}} Jeśli już Państwo zapłacili, prosimy zignorować tę wiadomość i przyjąć nasze przeprosiny.',
  },
  {
    key: 'sms-due-day',
    channel: 'sms',
    locale: 'pl',
    subject: '',
    body: '{{company.name}}: termin płatności faktury {{invoice.numbers}} ({{invoice.balance}}) upływa {{invoice.dueDate}}. O ile nie doszło do błędu lub przeoczenia z naszej strony, nie mamy jeszcze wpłaty. Płatność: {{portal.url}} Jeśli już Państwo zapłacili, prosimy zignorować tę wiadomość i przyjąć przeprosiny.',
  },
  {
    key: 'sms-overdue',
    channel: 'sms',
    locale: 'pl',
    subject: '',
    body: '{{company.name}}: o ile nie doszło do błędu lub przeoczenia z naszej strony, płatność faktury {{invoice.numbers}} ({{invoice.balance}}) jest opóźniona o {{invoice.daysOverdue}} dni. Płatność: {{portal.url}} Jeśli już Państwo zapłacili, prosimy zignorować tę wiadomość i przyjąć przeprosiny.',
  },
  {
    key: 'sms-thank-you',
    channel: 'sms',
    locale: 'pl',
    subject: '',
    body: '{{company.name}}: dziękujemy, otrzymaliśmy Państwa wpłatę za fakturę {{invoice.numbers}}. Zestawienie rozliczeń: {{portal.url}}',
  },
  {
    key: 'sms-collections-handover',
    channel: 'collections',
    locale: 'pl',
    subject: 'Przekazanie do windykacji: {{customer.name}} ({{customer.code}}) – {{invoice.balance}}',
    body: lines(
      'Faktura {{invoice.numbers}} wystawiona dla {{customer.name}} ({{customer.code}}) jest {{invoice.daysOverdue}} dni po terminie, a sekwencja przypomnień SMS dobiegła końca bez wpłaty. W tej sekwencji nie wysłano listu.',
      '',
      'Kwota do przekazania: {{invoice.balance}}',
      '{{invoice.list}}',
      'Łączna zaległość klienta: {{customer.totalOverdue}}',
      '',
      'Przed przekazaniem:',
      '1. Sprawdź, czy od ostatniego SMS-a nie zarejestrowano wpłaty, reklamacji ani obietnicy zapłaty.',
      '2. Sprawdź w historii faktury doręczenie SMS-ów; jeśli nie dotarły, najpierw zadzwoń do klienta.',
      '3. Rozważ wysłanie listem ostatecznego wezwania do zapłaty: wiele firm windykacyjnych go oczekuje, a to w nim dochodzi się ustawowych odsetek i rekompensaty.',
      '4. Skompletuj dokumenty: kopie faktur, historię przypomnień, umowę lub potwierdzenie zamówienia oraz korespondencję z klientem.',
      '5. Wyślij dokumenty do firmy windykacyjnej, wpisz tutaj jej numer sprawy i oznacz fakturę jako przekazaną do windykacji.',
    ),
  },
];

const de: DefaultTemplate[] = [
  {
    key: 'sms-invoice-issued',
    channel: 'sms',
    locale: 'de',
    subject: '',
    body: '{{company.name}}: Vielen Dank für Ihren Auftrag. Rechnung {{invoice.numbers}} über {{invoice.amount}} ist am {{invoice.dueDate}} fällig. Ansehen und bezahlen: {{portal.url}}',
  },
  {
    key: 'sms-pre-due',
    channel: 'sms',
    locale: 'de',
    subject: '',
    body: '{{company.name}}: Eine freundliche Erinnerung: Rechnung {{invoice.numbers}} ({{invoice.balance}}) ist am {{invoice.dueDate}} fällig. Bezahlen: {{portal.url}} Falls Sie inzwischen gezahlt haben, ist diese SMS gegenstandslos – wir bitten um Entschuldigung.',
  },
  {
    key: 'sms-due-day',
    channel: 'sms',
    locale: 'de',
    subject: '',
    body: '{{company.name}}: Rechnung {{invoice.numbers}} ({{invoice.balance}}) ist am {{invoice.dueDate}} fällig und, sofern uns kein Fehler oder Versehen unterlaufen ist, noch offen. Bezahlen: {{portal.url}} Falls Sie inzwischen gezahlt haben, ist diese SMS gegenstandslos – wir bitten um Entschuldigung.',
  },
  {
    key: 'sms-overdue',
    channel: 'sms',
    locale: 'de',
    subject: '',
    body: '{{company.name}}: Sofern uns kein Fehler oder Versehen unterlaufen ist, ist Rechnung {{invoice.numbers}} ({{invoice.balance}}) seit {{invoice.daysOverdue}} Tagen überfällig. Bezahlen: {{portal.url}} Falls Sie inzwischen gezahlt haben, ist diese SMS gegenstandslos – wir bitten um Entschuldigung.',
  },
  {
    key: 'sms-thank-you',
    channel: 'sms',
    locale: 'de',
    subject: '',
    body: '{{company.name}}: Vielen Dank, Ihre Zahlung für Rechnung {{invoice.numbers}} ist eingegangen. Ihre Kontoübersicht: {{portal.url}}',
  },
  {
    key: 'sms-collections-handover',
    channel: 'collections',
    locale: 'de',
    subject: 'Übergabe an das Inkasso: {{customer.name}} ({{customer.code}}), {{invoice.balance}}',
    body: lines(
      'Rechnung {{invoice.numbers}} an {{customer.name}} ({{customer.code}}) ist seit {{invoice.daysOverdue}} Tagen überfällig, und die SMS-Erinnerungen sind ohne Zahlung beendet. In dieser Folge wurde kein Brief versandt.',
      '',
      'Zu übergebender Betrag: {{invoice.balance}}',
      '{{invoice.list}}',
      'Gesamte überfällige Forderung gegen den Kunden: {{customer.totalOverdue}}',
      '',
      'Vor der Übergabe:',
      '1. Prüfen, dass seit der letzten SMS keine Zahlung, Reklamation oder Zahlungszusage erfasst wurde.',
      '2. Die Zustellung der SMS im Verlauf der Rechnung prüfen; kamen sie nicht an, zuerst den Kunden anrufen.',
      '3. Eine förmliche letzte Mahnung per Post erwägen: Viele Inkassounternehmen erwarten sie, und in ihr werden Verzugszinsen und Pauschale geltend gemacht.',
      '4. Die Akte zusammenstellen: Kopien der Rechnungen, Verlauf der Erinnerungen, Vertrag oder Auftragsbestätigung und Schriftverkehr mit dem Kunden.',
      '5. Die Akte an das Inkassounternehmen senden, dessen Aktenzeichen hier eintragen und die Rechnung als an das Inkasso übergeben markieren.',
    ),
  },
];

const fr: DefaultTemplate[] = [
  {
    key: 'sms-invoice-issued',
    channel: 'sms',
    locale: 'fr',
    subject: '',
    body: '{{company.name}} : merci de votre confiance. La facture {{invoice.numbers}} d’un montant de {{invoice.amount}} est payable au plus tard le {{invoice.dueDate}}. Consulter et régler : {{portal.url}}',
  },
  {
    key: 'sms-pre-due',
    channel: 'sms',
    locale: 'fr',
    subject: '',
    body: '{{company.name}} : pour rappel, la facture {{invoice.numbers}} ({{invoice.balance}}) arrive à échéance le {{invoice.dueDate}}. Régler : {{portal.url}} Si vous avez payé entre-temps, merci d’ignorer ce message et de nous en excuser.',
  },
  {
    key: 'sms-due-day',
    channel: 'sms',
    locale: 'fr',
    subject: '',
    body: '{{company.name}} : la facture {{invoice.numbers}} ({{invoice.balance}}), à échéance le {{invoice.dueDate}}, reste impayée sauf erreur ou omission de notre part. Régler : {{portal.url}} Si vous avez payé entre-temps, merci d’ignorer ce message et de nous en excuser.',
  },
  {
    key: 'sms-overdue',
    channel: 'sms',
    locale: 'fr',
    subject: '',
    body: '{{company.name}} : sauf erreur ou omission de notre part, la facture {{invoice.numbers}} ({{invoice.balance}}) présente un retard de {{invoice.daysOverdue}} jours. Régler : {{portal.url}} Si vous avez payé entre-temps, merci d’ignorer ce message et de nous en excuser.',
  },
  {
    key: 'sms-thank-you',
    channel: 'sms',
    locale: 'fr',
    subject: '',
    body: '{{company.name}} : merci, nous avons bien reçu votre paiement pour la facture {{invoice.numbers}}. Votre relevé : {{portal.url}}',
  },
  {
    key: 'sms-collections-handover',
    channel: 'collections',
    locale: 'fr',
    subject: 'Transmission au recouvrement : {{customer.name}} ({{customer.code}}), {{invoice.balance}}',
    body: lines(
      'La facture {{invoice.numbers}} de {{customer.name}} ({{customer.code}}) présente un retard de {{invoice.daysOverdue}} jours, et la séquence de relances par SMS s’est terminée sans paiement. Aucun courrier n’a été envoyé dans cette séquence.',
      '',
      'Montant à transmettre : {{invoice.balance}}',
      '{{invoice.list}}',
      'Total échu du client : {{customer.totalOverdue}}',
      '',
      'Avant la transmission :',
      '1. Vérifier qu’aucun paiement, litige ou promesse de paiement n’a été enregistré depuis le dernier SMS.',
      '2. Vérifier la remise des SMS dans l’historique de la facture ; s’ils ne sont pas arrivés, appeler d’abord le client.',
      '3. Envisager une mise en demeure par courrier : beaucoup d’agences l’attendent, et c’est là que sont réclamées les pénalités de retard et l’indemnité forfaitaire.',
      '4. Constituer le dossier : copies des factures, historique des relances, contrat ou confirmation de commande, et correspondance avec le client.',
      '5. Envoyer le dossier à l’agence de recouvrement, saisir ici sa référence et marquer la facture comme transmise au recouvrement.',
    ),
  },
];

/** The SMS scenario's templates in every supported locale, installed with the defaults. */
export const SMS_SCENARIO_TEMPLATES: DefaultTemplate[] = [...pl, ...de, ...en, ...fr];
