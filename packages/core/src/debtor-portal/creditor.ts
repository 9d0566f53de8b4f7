export interface Creditor {
  name: string;
  legalName: string;
  addressLines: string[];
  vatNumber: string | null;
  registrationNumber: string | null;
  email: string;
  phone: string | null;
  bank: { holder: string | null; iban: string | null; bic: string | null; name: string | null };
}

/** The creditor as the portal and its PDFs show it, from the organization's row. */
export function creditorOf(org: {
  name: string;
  legal_name: string;
  address_line1: string;
  address_line2: string | null;
  postal_code: string;
  city: string;
  country: string;
  vat_number: string | null;
  registration_number: string | null;
  sender_email: string;
  sender_phone: string | null;
  bank_account_holder: string | null;
  bank_iban: string | null;
  bank_bic: string | null;
  bank_name: string | null;
}): Creditor {
  return {
    name: org.name,
    legalName: org.legal_name,
    addressLines: [
      org.address_line1,
      org.address_line2,
      `${org.postal_code} ${org.city}`,
      org.country,
    ].filter((line): line is string => Boolean(line)),
    vatNumber: org.vat_number,
    registrationNumber: org.registration_number,
    email: org.sender_email,
    phone: org.sender_phone,
    bank: { holder: org.bank_account_holder, iban: org.bank_iban, bic: org.bank_bic, name: org.bank_name },
  };
}
