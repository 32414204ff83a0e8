/**
 * Words the scale seed draws from. Every person, place and event is made up;
 * addresses use invented streets and towns, phone numbers Ofcom's drama ranges,
 * emails the reserved .example domain.
 */

export const FEMALE_NAMES = [
  "Ffion", "Megan", "Sara", "Angharad", "Chloe", "Elin", "Katie", "Rhian", "Leanne", "Nerys", "Jade", "Tegan", "Lowri", "Zoe", "Hannah",
  "Bethan", "Carys", "Gwen", "Amy", "Emma", "Sophie", "Laura", "Rebecca", "Charlotte", "Gemma", "Natalie", "Kirsty", "Stacey", "Amina",
  "Fatima", "Priya", "Aisha", "Olivia", "Holly", "Lucy", "Rachel", "Nicola", "Donna", "Claire", "Joanne", "Kelly", "Sian", "Catrin",
  "Heledd", "Mared", "Eleri", "Agnieszka", "Monika", "Ioana", "Shauna", "Niamh", "Aoife", "Morag", "Eilidh", "Kayleigh", "Jasmine",
] as const;

export const MALE_NAMES = [
  "Gethin", "Liam", "Connor", "Rhodri", "Jordan", "Dylan", "Ryan", "Steffan", "Craig", "Emyr", "Kyle", "Brandon", "Iwan", "Dean", "Josh",
  "Paul", "Huw", "Aled", "Neil", "Mark", "Gareth", "Lee", "Darren", "Jamie", "Scott", "Carl", "Wayne", "Shane", "Tomasz", "Imran",
  "Daniel", "Matthew", "Christopher", "Michael", "Owain", "Rhys", "Callum", "Kieran", "Declan", "Ross", "Ewan", "Stuart", "Marek",
] as const;

export const CHILD_NAMES = [
  "Osian", "Mia", "Ava", "Noah", "Alfie", "Isla", "Leo", "Freya", "Oscar", "Poppy", "Harri", "Nia", "Ellis", "Seren", "Jac", "Cerys",
  "Theo", "Evie", "Finley", "Ruby", "Archie", "Lily", "Teddy", "Grace", "Arlo", "Esme", "Macsen", "Efa",
] as const;

export const SURNAMES = [
  "Davies", "Jones", "Williams", "Evans", "Thomas", "Roberts", "Hughes", "Lewis", "Morgan", "Griffiths", "Price", "Harris", "Clarke",
  "Walsh", "Bennett", "Morris", "Owen", "Rees", "Jenkins", "Phillips", "Matthews", "Lloyd", "Parry", "Martin", "Cooper", "Smith",
  "Rowlands", "Ellis", "Wood", "Baker", "Taylor", "Brown", "Wilson", "Johnson", "Walker", "Wright", "Robinson", "Thompson", "White",
  "Hall", "Green", "Edwards", "Turner", "Hill", "Moore", "Jackson", "King", "Lee", "Khan", "Ahmed", "Hussain", "Begum", "Patel",
  "Kowalski", "Nowak", "Popescu", "Murphy", "Kelly", "Campbell", "MacDonald", "Stewart", "Reid", "Murray", "Pritchard", "Powell",
] as const;

export const STREETS = [
  "Heol y Felin", "Station Road", "Church Street", "Bryn Road", "Park View", "Mill Lane", "Victoria Street", "Ffordd Newydd", "High Street",
  "Chapel Row", "Maes yr Ysgol", "Oak Avenue", "Riverside", "Castle Terrace", "Elm Close", "Glanrhyd", "Quarry Lane", "Market Square",
] as const;

export const PLACES = [
  "Aberwen", "Brynhafod", "Caerllan", "Dolgarth", "Eglwysfach", "Ffynnonwen", "Glanyrafon", "Hendre", "Llanfihangel", "Maesteg Uchaf",
  "Nantgarw Isaf", "Pentrebach", "Rhydwen", "Tregarth", "Ashcombe", "Belford", "Calderbrook", "Dunmere", "Eastwick", "Fernley", "Glenmoor",
  "Harrowgate", "Ivybridge Vale", "Kingsmead", "Larkfield", "Merton Down", "Northholm", "Oakhurst", "Pendlebury", "Queensferry Mill",
  "Redmarsh", "Stonebridge", "Thornbury Cross", "Upton Heath", "Westmoor", "Yarrowdale", "Ballykeel", "Carrickmore", "Dunkerran", "Strathbeg",
] as const;

export const SCHOOLS = ["Ysgol Gynradd", "Primary School", "Community Primary", "High School", "Nursery", "Infant School", "Academy"] as const;

export const RELATIONSHIPS = ["Husband", "Partner", "Ex-partner", "Boyfriend", "Ex-husband", "Son", "Brother", "Father"] as const;

export const ETHNICITIES = ["White British", "White Welsh", "White other", "Asian British", "Black British", "Mixed", "Not stated"] as const;

export const FEARS = [
  "That he will kill her if she leaves.",
  "That he will take the children.",
  "Further violence when he is released.",
  "That he will find out where she is living now.",
  "That his family will come to the house.",
] as const;

export const WANTS = [
  "To stay in the house with the children and for him not to come back.",
  "Help to move to another area.",
  "To know when he is released.",
  "Support for her son at school.",
  "A non-molestation order.",
] as const;

export const MINUTES = {
  infoShared: [
    "Police: three call-outs in the last two months, the most recent a report of strangulation. Health: A&E attendance with facial injuries.",
    "Housing confirmed the tenancy is in the victim's sole name. Children's services have an open assessment.",
    "The IDVA has spoken to the victim, who is staying with her mother. Probation: perpetrator on licence until next spring.",
    "Education reports the older child arriving late and withdrawn. Mental health team have the perpetrator on their caseload.",
  ],
  risksVictim: ["Escalation since separation; threats to kill.", "Stalking at her workplace.", "Controlling behaviour and financial abuse."],
  risksChildren: ["Children present during incidents.", "Child contact handovers are a flashpoint.", "No children in the household."],
  risksOthers: ["New partner threatened.", "Risk to the victim's mother, who is sheltering her.", "None identified."],
  risksStaff: ["Lone visits not advised.", "Perpetrator hostile to police.", "None identified."],
  safetyPlanning: ["Target hardening and a TecSOS phone.", "Refuge space offered.", "Safe-contact plan agreed with the IDVA."],
  crimesReported: ["Assault occasioning actual bodily harm; criminal damage.", "Breach of a non-molestation order.", "None reported."],
  decisions: ["Actions agreed as below; review at the next meeting if incomplete.", "Case discussed; no further MARAC actions beyond those listed."],
} as const;

export const RESEARCH_FACTS = [
  "Domestic incident, verbal argument, no offences disclosed.",
  "Attended A&E with a wrist injury; explanation inconsistent.",
  "Tenancy warning issued for noise and disturbance.",
  "Child on the child protection register under the category of emotional abuse.",
  "Perpetrator arrested for assault; released under investigation.",
  "GP notes anxiety and low mood; victim disclosed abuse at appointment.",
  "Missed two appointments with the substance misuse service.",
  "Fire safety visit completed; smoke alarms fitted.",
] as const;

export const ACTIONS = [
  "Flag the address for an urgent police response",
  "Complete a safe and well visit",
  "Arrange a strategy discussion about the children",
  "Offer a refuge space and support to move",
  "Fit target hardening at the victim's home",
  "Share the perpetrator's release date with the IDVA",
  "Place an alert on the victim's health record",
  "Review the perpetrator's licence conditions",
  "Inform the school's designated safeguarding lead",
  "Refer the perpetrator to a behaviour change programme",
  "Check for outstanding warrants and bail conditions",
  "Offer a welfare check through the victim's GP",
  "Consider a domestic violence protection notice",
  "Provide a TecSOS phone",
] as const;

export const RATIONALES = [
  "Escalating controlling behaviour reported by the victim's GP.",
  "Threats to kill made in front of the children; the victim minimises the risk.",
  "Recent separation and stalking at the victim's workplace.",
] as const;
