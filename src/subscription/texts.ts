/** Every text the subscription pages show, in Swedish and English (other languages fall back to English). */
export interface PageTexts {
  locale: string;
  subscribeTitle: string;
  subscribeIntro: string;
  emailLabel: string;
  nameLabel: string;
  listsLegend: string;
  backToPressRoom: string;
  singleList: string;
  submit: string;
  honeypot: string;
  privacy: string;
  checkInboxTitle: string;
  checkInbox: string;
  alreadySubscribed: string;
  errorTitle: string;
  emailInvalid: string;
  listsMissing: string;
  listUnknown: string;
  languageUnknown: string;
  lineBreak: string;
  nameTooLong: string;
  tooLarge: string;
  unsupportedType: string;
  badRequest: string;
  confirmTitle: string;
  confirmQuestion: string;
  confirmButton: string;
  confirmedTitle: string;
  confirmed: string;
  nothingToConfirm: string;
  linkInvalidTitle: string;
  linkInvalid: string;
  linkExpiredTitle: string;
  linkExpired: string;
  goneTitle: string;
  gone: string;
  signUpAgain: string;
  unsubscribeTitle: string;
  unsubscribeQuestion: string;
  unsubscribeButton: string;
  unsubscribeAllButton: string;
  unsubscribedTitle: string;
  unsubscribed: string;
  notSubscribed: string;
  oneClickDone: string;
  resubscribe: string;
  notFoundTitle: string;
  notFound: string;
  methodNotAllowed: string;
  internalErrorTitle: string;
  internalError: string;
}

const sv: PageTexts = {
  locale: 'sv-SE',
  subscribeTitle: 'Prenumerera på nyheter från {organization}',
  subscribeIntro: 'Fyll i din e-postadress så skickar vi ett mejl där du bekräftar prenumerationen.',
  emailLabel: 'E-postadress',
  nameLabel: 'Namn (frivilligt)',
  listsLegend: 'Välj utskick',
  backToPressRoom: 'Tillbaka till pressrummet',
  singleList: 'Du får {list}.',
  submit: 'Prenumerera',
  honeypot: 'Lämna det här fältet tomt',
  privacy:
    'Vi använder adressen bara för att skicka de utskick du väljer och sparar när och hur du gav ditt samtycke. Du kan avsluta när som helst via länken i varje mejl.',
  checkInboxTitle: 'Titta i din inkorg',
  checkInbox:
    'Om adressen {email} kan ta emot mejl har vi skickat ett meddelande dit. Öppna länken i det för att bekräfta prenumerationen. Länken gäller i {ttl}.',
  alreadySubscribed: 'Om du redan prenumererar behöver du inte göra något.',
  errorTitle: 'Något behöver rättas',
  emailInvalid: 'Skriv en giltig e-postadress, till exempel namn@exempel.se.',
  listsMissing: 'Välj minst ett utskick.',
  listUnknown: 'Det finns inget utskick som heter ”{list}”.',
  languageUnknown: 'Språket ”{lang}” finns inte här.',
  lineBreak: 'Fälten får inte innehålla radbrytningar.',
  nameTooLong: 'Namnet är för långt.',
  tooLarge: 'Förfrågan är för stor.',
  unsupportedType: 'Formuläret skickades i ett format som inte stöds.',
  badRequest: 'Förfrågan kunde inte tolkas.',
  confirmTitle: 'Bekräfta prenumerationen',
  confirmQuestion: 'Ska {email} få {lists}? Tryck på knappen för att bekräfta.',
  confirmButton: 'Ja, bekräfta prenumerationen',
  confirmedTitle: 'Prenumerationen är bekräftad',
  confirmed: 'Tack! {email} får nu {lists}.',
  nothingToConfirm: 'Det finns inget kvar att bekräfta: prenumerationen är redan bekräftad eller avslutad.',
  linkInvalidTitle: 'Länken fungerar inte',
  linkInvalid: 'Länken är ofullständig eller ändrad. Kopiera hela länken från mejlet.',
  linkExpiredTitle: 'Länken har gått ut',
  linkExpired: 'Bekräftelselänken har gått ut. Anmäl dig igen så skickar vi en ny.',
  goneTitle: 'Prenumerationen finns inte längre',
  gone: 'Det finns ingen prenumeration kvar för den här länken.',
  signUpAgain: 'Till anmälan',
  unsubscribeTitle: 'Avsluta prenumeration',
  unsubscribeQuestion: 'Vill du sluta få {list} till {email}?',
  unsubscribeButton: 'Ja, avsluta prenumerationen',
  unsubscribeAllButton: 'Avsluta alla mina prenumerationer',
  unsubscribedTitle: 'Prenumerationen är avslutad',
  unsubscribed: '{email} får inte längre {lists}.',
  notSubscribed: '{email} prenumererar inte på {list}.',
  oneClickDone: 'Prenumerationen är avslutad.',
  resubscribe: 'Ångrat dig? Du kan anmäla dig igen.',
  notFoundTitle: 'Sidan finns inte',
  notFound: 'Här finns bara anmälan till nyhetsutskicken.',
  methodNotAllowed: 'Den här sidan tar inte emot den sortens förfrågan.',
  internalErrorTitle: 'Något gick fel',
  internalError: 'Ett fel uppstod hos oss. Försök igen om en stund.',
};

const en: PageTexts = {
  locale: 'en-GB',
  subscribeTitle: 'Subscribe to news from {organization}',
  subscribeIntro: 'Enter your email address and we will send you an email to confirm the subscription.',
  emailLabel: 'Email address',
  nameLabel: 'Name (optional)',
  listsLegend: 'Choose newsletters',
  backToPressRoom: 'Back to the press room',
  singleList: 'You will receive {list}.',
  submit: 'Subscribe',
  honeypot: 'Leave this field empty',
  privacy:
    'We use your address only to send the newsletters you choose, and we keep a record of when and how you gave your consent. You can unsubscribe at any time with the link in every email.',
  checkInboxTitle: 'Check your inbox',
  checkInbox:
    'If {email} can receive email, we have sent a message there. Open the link in it to confirm the subscription. The link is valid for {ttl}.',
  alreadySubscribed: 'If you are already subscribed, you need not do anything.',
  errorTitle: 'Something needs correcting',
  emailInvalid: 'Enter a valid email address, such as name@example.com.',
  listsMissing: 'Choose at least one newsletter.',
  listUnknown: 'There is no newsletter called “{list}”.',
  languageUnknown: 'The language “{lang}” is not available here.',
  lineBreak: 'The fields must not contain line breaks.',
  nameTooLong: 'The name is too long.',
  tooLarge: 'The request is too large.',
  unsupportedType: 'The form was sent in a format that is not supported.',
  badRequest: 'The request could not be understood.',
  confirmTitle: 'Confirm your subscription',
  confirmQuestion: 'Should {email} receive {lists}? Press the button to confirm.',
  confirmButton: 'Yes, confirm the subscription',
  confirmedTitle: 'Subscription confirmed',
  confirmed: 'Thank you! {email} will now receive {lists}.',
  nothingToConfirm: 'There is nothing left to confirm: the subscription is already confirmed or has ended.',
  linkInvalidTitle: 'This link does not work',
  linkInvalid: 'The link is incomplete or has been altered. Copy the whole link from the email.',
  linkExpiredTitle: 'This link has expired',
  linkExpired: 'The confirmation link has expired. Sign up again and we will send you a new one.',
  goneTitle: 'This subscription no longer exists',
  gone: 'There is no subscription left for this link.',
  signUpAgain: 'Go to the sign-up form',
  unsubscribeTitle: 'Unsubscribe',
  unsubscribeQuestion: 'Do you want to stop receiving {list} at {email}?',
  unsubscribeButton: 'Yes, unsubscribe',
  unsubscribeAllButton: 'Unsubscribe from all newsletters',
  unsubscribedTitle: 'You are unsubscribed',
  unsubscribed: '{email} will no longer receive {lists}.',
  notSubscribed: '{email} is not subscribed to {list}.',
  oneClickDone: 'You have been unsubscribed.',
  resubscribe: 'Changed your mind? You can sign up again.',
  notFoundTitle: 'Page not found',
  notFound: 'This service only handles newsletter subscriptions.',
  methodNotAllowed: 'This page does not accept that kind of request.',
  internalErrorTitle: 'Something went wrong',
  internalError: 'An error occurred on our side. Please try again in a while.',
};

const TEXTS: Record<string, PageTexts> = { sv, en };

export function pageTexts(lang: string): PageTexts {
  return TEXTS[lang] ?? en;
}
