// Word lists for synthetic names, streets and organisations. Small on purpose: real bank data
// is full of common names, so collisions between unrelated people are part of the test.

enum Vocabulary {
    static let firstNames = [
        "James", "Mary", "John", "Patricia", "Robert", "Jennifer", "Michael", "Linda", "William", "Elizabeth",
        "David", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Charles", "Karen",
        "Christopher", "Nancy", "Daniel", "Lisa", "Matthew", "Betty", "Anthony", "Margaret", "Mark", "Sandra",
        "Donald", "Ashley", "Steven", "Kimberly", "Paul", "Emily", "Andrew", "Donna", "Joshua", "Michelle",
        "Olivia", "Amelia", "Oliver", "George", "Harry", "Noah", "Jack", "Leo", "Arthur", "Muhammad",
        "Isla", "Ava", "Mia", "Ivy", "Freya", "Lily", "Florence", "Priya", "Wei", "Fatima",
        "Aisha", "Omar", "Yusuf", "Chen", "Hiroshi", "Sofia", "Lucas", "Mateo", "Elena", "Ines",
    ]
    static let lastNames = [
        "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
        "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin",
        "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson",
        "Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores",
        "Evans", "Roberts", "Hughes", "Edwards", "Patel", "Khan", "Singh", "Murphy", "Kelly", "Walsh",
        "Okafor", "Mensah", "Kowalski", "Novak", "Rossi", "Bianchi", "Muller", "Schmidt", "Dubois", "Tanaka",
    ]
    static let streetNames = [
        "Oak", "Maple", "Cedar", "Elm", "Pine", "Birch", "Willow", "Ash", "Chestnut", "Hawthorn",
        "High", "Church", "Mill", "Station", "Victoria", "Park", "Queens", "Kings", "Green", "Manor",
        "Castle", "Bridge", "Market", "London", "York", "Albert", "Grove", "Springfield", "Orchard", "Meadow",
        "River", "Hill", "North", "South", "West", "East", "New", "Old", "Main", "Lake",
    ]
    static let streetTypes = ["Street", "Road", "Avenue", "Lane", "Drive", "Close", "Way", "Square", "Place", "Court"]
    static let cities: [(city: String, country: String)] = [
        ("London", "United Kingdom"), ("Manchester", "United Kingdom"), ("Leeds", "United Kingdom"),
        ("Birmingham", "United Kingdom"), ("Glasgow", "United Kingdom"), ("Bristol", "United Kingdom"),
        ("Liverpool", "United Kingdom"), ("Edinburgh", "United Kingdom"), ("Cardiff", "United Kingdom"),
        ("New York", "United States"), ("Chicago", "United States"), ("Houston", "United States"),
        ("Boston", "United States"), ("Miami", "United States"), ("Seattle", "United States"),
        ("Dublin", "Ireland"), ("Paris", "France"), ("Berlin", "Germany"), ("Madrid", "Spain"), ("Rome", "Italy"),
    ]
    static let emailDomains = ["mail.com", "post.net", "inbox.org", "example.co.uk", "webmail.com", "fastmail.io"]
    static let companyWords = [
        "Acme", "Global", "Northern", "Apex", "Summit", "Sterling", "Harbour", "Crown", "Phoenix", "Atlas",
        "Meridian", "Pinnacle", "Horizon", "Vertex", "Beacon", "Orion", "Cobalt", "Granite", "Silverline", "Evergreen",
        "Blue Ridge", "Red Kite", "Oakwood", "Riverside", "Westgate", "Eastbrook", "Highfield", "Kingsway", "Lionheart", "Trident",
    ]
    static let companyActivities = [
        "Trading", "Logistics", "Imports", "Consulting", "Holdings", "Capital", "Properties", "Textiles", "Foods", "Motors",
        "Shipping", "Electronics", "Construction", "Investments", "Services",
    ]
    static let companySuffixes = ["Limited", "Ltd", "LLC", "Inc", "Group", "PLC", "Company"]

    /// Abbreviations that bank staff and customers write interchangeably; the generator uses
    /// them to make reported names and addresses differ from the registered ones.
    static let abbreviations: [(String, String)] = [
        ("Street", "St"), ("Road", "Rd"), ("Avenue", "Ave"), ("Lane", "Ln"), ("Drive", "Dr"), ("Square", "Sq"),
        ("Place", "Pl"), ("Court", "Ct"), ("Close", "Cl"), ("United Kingdom", "UK"), ("United States", "USA"),
        ("Limited", "Ltd"), ("Company", "Co"), ("Incorporated", "Inc"), ("Corporation", "Corp"),
    ]
}
