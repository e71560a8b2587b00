#!/usr/bin/python3
"""bench/search_corpus.py: the generated evaluation set of bench/search_eval.py (pure stdlib,
fixed seed, no downloads; the same corpus and queries on every machine and run).

63 topics, each of three concepts; a concept is a pair of real English synonyms (car/automobile,
doctor/physician, lawyer/attorney, invoice/bill, ...: every pair is a synonym pair of the MyThes
English thesaurus, the WordNet-derived one query expansion reads) and five context words of its
own. A sentence puts a concept's word among three of its context words and some filler, so words
used interchangeably among the same context words ("car" and "automobile" both among "engine",
"gearbox", "bonnet") get similar vectors under random indexing, which is what paperd's local
semantic model learns from the account's own documents.

Per topic 32 documents (2,016 in all), a quarter of them multi-page (form feeds between pages,
as paperd paginates text/plain), each page about 300 words, and a client name in the header
(a made-up surname from a pool of 480, so about four documents share one):
  - 30 background documents: one main concept (in both of its synonyms, one preferred) and, for
    half of them, a second concept of the topic in a quarter of the topical sentences;
  - 2 paraphrase targets: two concepts of the topic in equal measure, each in ONE synonym only.
Queries (252: 126 paraphrase, 126 keyword):
  - paraphrase: the two concepts of a paraphrase target in their OTHER synonyms ("automobile
    gasoline" for a document about "car" and "petrol"); the generator asserts that no query word
    shares a word or a stem (see shares_stem) with any word of its target;
  - keyword: a background document's client name and its main concept word as the document uses
    it (and, for every other one, a context word of that concept it holds too).
Relevance: grade 2 = the query's target, 1 = another document of the query's topic, 0 otherwise.

    search_corpus.py [--check] [--dump DIR]   statistics and the vocabulary check; DIR gets the
                                              corpus as .txt files and queries.json
"""
import json
import os
import random
import sys

SEED = 20260316

# (topic, [(word_x, word_y, "five context words"), x3])
TOPICS = [
    ("motoring", [("car", "automobile", "engine gearbox bonnet windscreen exhaust"),
                  ("petrol", "gasoline", "pump refuel nozzle litre tank"),
                  ("tyre", "tire", "tread puncture inflate rubber valve")]),
    ("transit", [("taxi", "cab", "fare meter hail kerb chauffeur"),
                 ("bus", "coach", "timetable depot passengers seating stopover"),
                 ("pavement", "sidewalk", "pedestrians crossing curb lamppost puddle")]),
    ("clinic", [("doctor", "physician", "stethoscope diagnosis symptoms examination consultation"),
                ("illness", "sickness", "nausea chills recovery bedrest contagion"),
                ("fever", "febrility", "thermometer sweating shivering degrees paracetamol")]),
    ("hospital", [("hospital", "infirmary", "ward beds ambulance admissions visiting"),
                  ("surgery", "operation", "scalpel anaesthetic incision theatre stitches"),
                  ("injury", "wound", "bandage bleeding plaster bruise splint")]),
    ("pharmacy", [("pharmacy", "drugstore", "dispensing prescriptions chemist cashier aisle"),
                  ("pill", "tablet", "dosage swallow capsule blister milligrams"),
                  ("ointment", "salve", "lotion rash soothing apply itching")]),
    ("maternity", [("pregnancy", "gestation", "midwife trimester ultrasound prenatal contractions"),
                   ("baby", "infant", "nappy cradle pram lullaby rattle"),
                   ("stomach", "belly", "digestion cramps bloating appetite ulcer")]),
    ("law firm", [("lawyer", "attorney", "counsel retainer brief chambers litigator"),
                  ("lawsuit", "suit", "plaintiff defendant injunction settlement filing"),
                  ("article", "clause", "paragraph stipulation wording amendment subsection")]),
    ("courts", [("judge", "justice", "verdict gavel bench ruling robes"),
                ("court", "tribunal", "hearing appeal proceedings docket clerk"),
                ("prisoner", "captive", "cell guards parole inmate handcuffs")]),
    ("crime", [("thief", "stealer", "burglary loot stolen pickpocket heist"),
               ("murder", "slaying", "victim homicide motive corpse suspect"),
               ("criminal", "felon", "offence conviction gang fugitive misdeeds")]),
    ("police", [("police", "constabulary", "patrol cordon siren uniform badge"),
                ("detective", "investigator", "clue evidence fingerprints interrogation alibi"),
                ("jail", "gaol", "bars warden lockup sentence escape")]),
    ("accounts payable", [("invoice", "bill", "amount overdue reminder itemised remit"),
                          ("payment", "defrayal", "transfer instalment bankcard receipt cheque"),
                          ("supplier", "provider", "delivery wholesale sourcing tender catalogue")]),
    ("refunds", [("repayment", "refund", "returned voucher goodwill cancellation credited"),
                 ("discount", "rebate", "percent coupon clearance markdown bargain"),
                 ("price", "cost", "expensive quote tariff estimate budget")]),
    ("shopping", [("purchase", "buy", "checkout basket trolley acquisition spending"),
                  ("shop", "store", "shelf display premises mall boutique"),
                  ("vendor", "seller", "stall market auction listing merchant")]),
    ("logistics", [("parcel", "package", "wrapping label tracking doorstep sender"),
                   ("shipment", "consignment", "freight container haulier pallet manifest"),
                   ("customer", "client", "account loyalty complaint satisfaction hotline")]),
    ("investing", [("shareholder", "stockholder", "dividend equity portfolio annual voting"),
                   ("profit", "gain", "margin revenue surplus quarterly growth"),
                   ("wealth", "riches", "fortune millionaire inheritance luxury estate")]),
    ("payroll", [("salary", "wage", "payslip overtime deductions bonus raise"),
                 ("job", "occupation", "vacancy career profession skills trade"),
                 ("assistant", "helper", "errands support duties tasks junior")]),
    ("management", [("boss", "chief", "promotion hierarchy decisions staff leadership"),
                    ("manager", "director", "governance strategy appointment executive department"),
                    ("office", "bureau", "desk cubicle stationery printer photocopier")]),
    ("quality", [("error", "mistake", "incorrect typo correction oversight apology"),
                 ("fault", "defect", "recall warranty broken malfunction inspection"),
                 ("repair", "fix", "spare handyman replacement restore screwdriver")]),
    ("rental", [("apartment", "flat", "balcony floorplan bedroom kitchenette terrace"),
                ("tenant", "renter", "lease deposit eviction monthly landlord"),
                ("elevator", "lift", "buttons shaft ascending capacity engineer")]),
    ("houses", [("house", "home", "family neighbourhood chimney hearth roof"),
                ("cellar", "basement", "damp boiler underground shelving dehumidifier"),
                ("attic", "loft", "rafters insulation skylight dusty eaves")]),
    ("construction", [("building", "edifice", "scaffolding architect concrete crane girders"),
                      ("plank", "board", "sawmill planed nails joists carpentry"),
                      ("hut", "shack", "timber corrugated shelter tin makeshift")]),
    ("furniture", [("sofa", "couch", "cushions armrest upholstery lounge reclining"),
                   ("wardrobe", "closet", "hangers drawers garments mothballs rail"),
                   ("blanket", "cover", "wool duvet quilt fleece bedspread")]),
    ("cleaning", [("toilet", "lavatory", "flush cistern tiles plumbing hygiene"),
                  ("bucket", "pail", "mop water spill scrubbing bleach"),
                  ("smell", "odor", "stink deodorant whiff musty ventilation")]),
    ("holidays", [("holiday", "vacation", "beach sunscreen resort swimming sunbathing"),
                  ("luggage", "baggage", "rucksack overweight claim tags handle"),
                  ("trip", "jaunt", "outing excursion picnic scenic daylong")]),
    ("flights", [("airplane", "aeroplane", "wings cockpit runway turbulence takeoff"),
                 ("airport", "airdrome", "terminal departures gate security arrivals"),
                 ("aviator", "flier", "pilot altitude navigation hangar goggles")]),
    ("lodging", [("cottage", "bungalow", "thatched porch detached retirement quaint"),
                 ("inn", "hostelry", "tavern lodging ale rooms cosy"),
                 ("journey", "travel", "itinerary destination distance overland passport")]),
    ("post", [("phone", "telephone", "hangup dial call voicemail handset"),
              ("letter", "missive", "envelope stamp handwritten signed correspondence"),
              ("mail", "post", "inbox sending recipient dispatch franking")]),
    ("media", [("television", "telly", "channel episodes remote programme viewers"),
               ("radio", "wireless", "station frequency antenna listeners broadcaster"),
               ("newspaper", "paper", "headline editor column print daily")]),
    ("school", [("teacher", "instructor", "lesson blackboard homework grading curriculum"),
                ("student", "pupil", "enrolment satchel notebook attendance learner"),
                ("test", "exam", "marks revision invigilator cheating scores")]),
    ("university", [("course", "class", "syllabus seminar credits module tutor"),
                    ("research", "inquiry", "hypothesis findings survey analysis methodology"),
                    ("speech", "address", "audience podium microphone applause speaker")]),
    ("dining", [("meal", "repast", "dinner lunch supper starter portions"),
                ("waiter", "server", "tips apron tray cutlery napkin"),
                ("drink", "beverage", "tumbler thirst bottle juice refreshment")]),
    ("cafe", [("coffee", "java", "espresso beans barista cappuccino mug"),
              ("biscuit", "cookie", "crumbs baking chocolate jar oven"),
              ("wine", "vino", "vineyard grapes vintage corkscrew merlot")]),
    ("kitchen", [("refrigerator", "icebox", "freezer chilled leftovers defrost magnets"),
                 ("vegetable", "veggie", "onions peeling salad greens potatoes"),
                 ("stove", "range", "burner saucepan gas simmer hob")]),
    ("weather", [("storm", "tempest", "thunder lightning gale gusts warning"),
                 ("fog", "mist", "visibility haze drizzle murky dawn"),
                 ("flood", "deluge", "sandbags riverbank overflow evacuation torrential")]),
    ("geology", [("earthquake", "quake", "tremor seismic magnitude aftershock epicentre"),
                 ("rock", "stone", "granite quarry boulder pebble limestone"),
                 ("dirt", "soil", "mud clay compost fertile spade")]),
    ("mountains", [("peak", "summit", "climbers ridge glacier cairn ascent"),
                   ("valley", "vale", "meadow brook slopes pasture lowland"),
                   ("hill", "mound", "grassy knoll barrow hump molehill")]),
    ("seafaring", [("ocean", "sea", "waves tide salt depths currents"),
                   ("sailor", "crewman", "deck rigging voyage mast knots"),
                   ("captain", "skipper", "helm bridge orders logbook compass")]),
    ("woodland", [("forest", "woods", "trees pine oak undergrowth clearing"),
                  ("rabbit", "coney", "burrows hopping ears lettuce warren"),
                  ("flower", "bloom", "petals pollen bees vase fragrant")]),
    ("farm", [("farmer", "granger", "tractor barn fields ploughing livestock"),
              ("crop", "harvest", "wheat barley combine yield sowing"),
              ("cattle", "cows", "herd grazing milking dairy calves")]),
    ("pets", [("dog", "hound", "leash kennel barking collar walkies"),
              ("bird", "fowl", "feathers cage beak nest chirping"),
              ("animal", "beast", "creature wild fur claws zoo")]),
    ("family", [("child", "kid", "playground nursery siblings tantrum bedtime"),
                ("toy", "plaything", "dolls teddy puzzle blocks playroom"),
                ("gift", "present", "wrapped birthday ribbon surprise bow")]),
    ("wedding", [("wedding", "nuptials", "bride groom vows veil bouquet"),
                 ("husband", "hubby", "anniversary couple partner romance honeymoon"),
                 ("marriage", "matrimony", "commitment union licence registrar lifelong")]),
    ("funeral", [("grave", "tomb", "headstone burial epitaph mourners wreath"),
                 ("coffin", "casket", "pallbearers hearse lid mahogany undertaker"),
                 ("death", "demise", "obituary grief bereavement passing condolences")]),
    ("elections", [("vote", "ballot", "polling booth tally turnout electorate"),
                   ("candidate", "nominee", "campaign manifesto debate endorsement rally"),
                   ("country", "nation", "flag anthem borders citizens patriotism")]),
    ("towns", [("city", "metropolis", "skyline downtown traffic population urban"),
               ("village", "hamlet", "almshouses green pub rural parish"),
               ("road", "route", "junction roundabout lanes signpost miles")]),
    ("music", [("singer", "vocalist", "lyrics chorus pitch karaoke soprano"),
               ("melody", "tune", "notes harmony humming rhythm catchy"),
               ("violin", "fiddle", "strings rosin solo virtuoso concerto")]),
    ("cinema", [("film", "movie", "screening cinema popcorn trailer sequel"),
                ("actor", "thespian", "role stage casting audition understudy"),
                ("prize", "award", "ceremony shortlisted trophy statuette acceptance")]),
    ("literature", [("book", "volume", "pages epilogue hardcover bindings spine"),
                    ("author", "writer", "novelist manuscript publisher royalties draft"),
                    ("tale", "narrative", "plot characters ending fairy moral")]),
    ("journalism", [("gossip", "chitchat", "whispers scandal chatter tabloid grapevine"),
                    ("question", "query", "ask enquiry clarification curious wondering"),
                    ("answer", "reply", "respond correct feedback prompt written")]),
    ("sports", [("team", "squad", "players lineup training kit substitutes"),
                ("athlete", "jock", "sprint stamina medal fitness muscles"),
                ("referee", "umpire", "whistle penalty foul linesman decision")]),
    ("arena", [("stadium", "arena", "crowd seats stands scoreboard turnstiles"),
               ("winner", "victor", "champion triumph laurels defeated title"),
               ("exercise", "workout", "gym pushups treadmill sweat stretching")]),
    ("road safety", [("bicycle", "bike", "pedals saddle chain handlebars helmet"),
                     ("lorry", "camion", "haulage driver motorway loading axle"),
                     ("danger", "peril", "hazard risk caution accident safety")]),
    ("religion", [("god", "deity", "worship prayer divine temple faith"),
                  ("heaven", "paradise", "angels eternal afterlife bliss gates"),
                  ("minister", "pastor", "congregation sermon chapel pulpit hymns")]),
    ("fantasy", [("wizard", "sorcerer", "spells wand potion magic cloak"),
                 ("ghost", "spook", "haunted apparition midnight phantom creaking"),
                 ("castle", "palace", "tower moat throne royal drawbridge")]),
    ("war", [("enemy", "foe", "hostile invaders rival ambush retreat"),
             ("battle", "conflict", "troops frontline casualties cannon siege"),
             ("sword", "blade", "steel hilt sharpen sheath duel")]),
    ("jewellery", [("jewel", "gem", "sparkle precious sapphire ruby emerald"),
                   ("ring", "band", "finger engagement gold silver inscription"),
                   ("bracelet", "bangle", "wrist charm clasp beads jingle")]),
    ("grooming", [("hairdresser", "hairstylist", "salon scissors trim dye fringe"),
                  ("beard", "whiskers", "shaving razor moustache stubble chin"),
                  ("perfume", "scent", "fragrance spray musky aroma cologne")]),
    ("sewing", [("thread", "yarn", "needle knitting spool crochet skein"),
                ("fabric", "cloth", "cotton silk weave linen pattern"),
                ("dress", "frock", "gown hem sleeves zip tailor")]),
    ("accessories", [("purse", "handbag", "strap coins clutch leather compartment"),
                     ("glasses", "spectacles", "lenses frames optician eyesight squinting"),
                     ("watch", "ticker", "hands battery alarm hourly clockwork")]),
    ("rest", [("sleep", "slumber", "pillow dreams snoring insomnia mattress"),
              ("nap", "snooze", "afternoon doze drowsy siesta yawning"),
              ("candle", "taper", "wax wick flame matches glow")]),
    ("party", [("celebration", "festivity", "fireworks cheers toast banquet confetti"),
               ("dessert", "sweet", "pudding custard cream trifle sorbet"),
               ("picture", "image", "camera snapshot album frame selfie")]),
    ("claims", [("damage", "harm", "insurer assessor compensation negligence destroyed"),
                ("result", "outcome", "conclusion consequence effect verdicts final"),
                ("reason", "cause", "explanation motivation why because origin")]),
    ("heritage", [("bible", "scripture", "verses testament psalm gospel commandments"),
                  ("remedy", "cure", "herbal folk tonic ailments healer"),
                  ("residence", "abode", "mansion grounds gardener dwellers manor")]),
]

# Words of every kind of document: function words and the plain vocabulary of letters and notes.
FILLER = """the of and to in on for with from by about as is was are were be been has have had
will would can could should may might this that these those it its we our you your they their he
she his her there here which who when where also very more most some all each every other such
only then than now next last first well good please thank regards dear kind sincerely attached
enclosed following further information details note regarding concerning date number
week month year today yesterday tomorrow morning evening time people group part place way matter
new same different important general usual possible recent current previous several many few
little much often still again already soon later before after during while until since because
under over between within without against through around however therefore although whether
mentioned described agreed discussed requested confirmed received sent asked given taken made
done seen found kept told called shown noted checked reviewed copy file record list item items
summary update version section page paragraph text form meeting team""".split()
FILLER = [w for w in FILLER if w not in ("team", "paragraph", "because", "page", "meeting")]

SUFFIXES = ("", "s", "es", "ed", "d", "er", "ers", "ing", "ings", "y", "ies", "ly", "ness", "ment",
            "ments", "ion", "ions", "al", "e", "en", "ity")


def shares_stem(a, b):
    """Whether a and b might be indexed under one stem (conservative: Snowball stems of these ASCII
    words are prefixes of them): equal, five letters in common at the start, or one is the other
    plus an inflection, or both are one 4-letter start plus inflections."""
    if a == b:
        return True
    p = 0
    while p < min(len(a), len(b)) and a[p] == b[p]:
        p += 1
    if p >= 5:
        return True
    s, l = (a, b) if len(a) <= len(b) else (b, a)
    if p == len(s) >= 3 and l[p:] in SUFFIXES:
        return True
    return p >= 4 and a[p:] in SUFFIXES and b[p:] in SUFFIXES


def make_names(count, taken):
    rng = random.Random(SEED + 1)
    onsets = "b c d f g h k l m n p r s t v z br dr gr kr st tr".split()
    vowels = "a e i o u ai ei ou".split()
    codas = ["", "", "n", "r", "l", "s", "k", "th", "nd", "rt"]
    names, seen = [], set()
    while len(names) < count:
        n = "".join(rng.choice(onsets) + rng.choice(vowels) + rng.choice(codas)
                    for _ in range(rng.choice((2, 3))))
        if not 6 <= len(n) <= 10 or n in seen or any(shares_stem(n, t) for t in taken):
            continue
        seen.add(n)
        names.append(n)
    return names


def vocabulary_problems():
    """Every synonym word must be unique and share no stem with any other word of the corpus
    (other synonyms, context words, filler); context words must be unique."""
    problems = []
    synonyms, context = [], []
    for topic, concepts in TOPICS:
        if len(concepts) != 3:
            problems.append("%s: %d concepts" % (topic, len(concepts)))
        for x, y, ctx in concepts:
            synonyms += [x, y]
            words = ctx.split()
            if len(words) != 5:
                problems.append("%s/%s: %d context words" % (x, y, len(words)))
            context += words
    everything = synonyms + context + FILLER
    for i, s in enumerate(synonyms):
        for j, w in enumerate(everything):
            if j != i and shares_stem(s, w):
                problems.append("synonym %r vs %r" % (s, w))
    seen = {}
    for w in context:
        if w in seen or w in FILLER:
            problems.append("context word %r twice" % w)
        seen[w] = 1
    return problems


class Doc:
    __slots__ = ("index", "name", "topic", "kind", "pages", "client", "concepts", "timed_query")

    def __init__(self, index, topic, kind, client):
        self.index, self.topic, self.kind, self.client = index, topic, kind, client
        self.name = "s%06d.txt" % index
        self.pages = []
        self.concepts = []  # indexes of the topic's concepts it is about, the main one first
        self.timed_query = ()  # keyword queries of its own words (latency runs)


class Query:
    def __init__(self, qid, kind, text, target, topic):
        self.qid, self.kind, self.text, self.target, self.topic = qid, kind, text, target, topic


class Generator:
    """Documents are generated one at a time (the large sizes are not kept in memory)."""

    def __init__(self, seed=SEED, topics=None):
        problems = vocabulary_problems()
        if problems:
            raise SystemExit("search_corpus: vocabulary problems:\n  " + "\n  ".join(problems))
        taken = [w for _, cs in TOPICS for x, y, c in cs for w in [x, y] + c.split()] + FILLER
        self.names = make_names(480, taken)
        self.seed = seed
        self.n_topics = min(len(TOPICS), topics or len(TOPICS))  # fewer: quick trial runs

    def _sentence(self, rng, word, ctx):
        words = rng.sample(ctx, 3)
        if word:
            words.append(word)
        words += [rng.choice(FILLER) for _ in range(rng.randint(1, 2))]
        rng.shuffle(words)
        return " ".join(words)

    def _filler_sentence(self, rng, client):
        words = [rng.choice(FILLER) for _ in range(rng.randint(6, 9))]
        if client and rng.random() < 0.05:
            words.insert(rng.randrange(len(words)), client.capitalize())
        return " ".join(words)

    def _page(self, rng, client, mix, first):
        """mix: [(weight, concept (x, y, ctx), prefer x probability)]."""
        lines = []
        if first:
            lines.append("Client %s. Ref %d. Date 20%02d-%02d-%02d." % (
                client.capitalize(), rng.randrange(10000, 99999), rng.randrange(18, 26),
                rng.randrange(1, 13), rng.randrange(1, 29)))
        out = []
        total = sum(w for w, _, _ in mix)
        for _ in range(rng.randint(38, 46)):
            if rng.random() < 0.45:
                r, acc = rng.random() * total, 0
                for w, (x, y, ctx), px in mix:
                    acc += w
                    if r <= acc:
                        break
                word = (x if rng.random() < px else y) if rng.random() < 0.6 else None
                s = self._sentence(rng, word, ctx)
            else:
                s = self._filler_sentence(rng, client)
            out.append(s[0].upper() + s[1:] + ".")
        # sentences in lines of about ten words, as a letter would be laid out
        line = ""
        for s in out:
            line = (line + " " + s).strip()
            if len(line) > 70:
                lines.append(line)
                line = ""
        if line:
            lines.append(line)
        return "\n".join(lines) + "\n"

    def _pages(self, rng, n_pages, client, mix):
        return [self._page(rng, client, mix, p == 0) for p in range(n_pages)]

    @staticmethod
    def _concepts(t):
        return [(x, y, ctx.split()) for x, y, ctx in TOPICS[t][1]]

    def background(self, rng, index, t, main=None, n_pages=None):
        cs = self._concepts(t)
        main = rng.randrange(3) if main is None else main
        client = rng.choice(self.names)
        prefer = rng.choice((0.7, 0.3))  # most occurrences in x, or most in y
        mix = [(0.75, cs[main], prefer)]
        concepts = [main]
        if rng.random() < 0.5:
            second = rng.choice([k for k in range(3) if k != main])
            mix.append((0.25, cs[second], rng.choice((0.7, 0.3))))
            concepts.append(second)
        else:
            mix[0] = (1.0, cs[main], prefer)
        if n_pages is None:
            n_pages = 1 if rng.random() < 0.75 else rng.randint(2, 5)
        d = Doc(index, t, "background", client)
        d.concepts = concepts
        d.pages = self._pages(rng, n_pages, client, mix)
        d.timed_query = self.keyword_query(d)
        return d

    def corpus(self):
        """The evaluation set: (documents, queries)."""
        rng = random.Random(self.seed)
        docs, queries = [], []
        for t in range(self.n_topics):
            cs = self._concepts(t)
            pairs = rng.sample([(0, 1), (0, 2), (1, 2)], 2)
            slots = ["background"] * 30 + ["target0", "target1"]
            rng.shuffle(slots)
            mains = [k % 3 for k in range(30)]
            rng.shuffle(mains)
            topic_docs = []
            for slot in slots:
                index = len(docs)
                if slot == "background":
                    d = self.background(rng, index, t, mains.pop())
                else:
                    i, j = pairs[int(slot[-1])]
                    side = rng.randrange(2)  # 0: the target says y (the query x), 1: the reverse
                    client = rng.choice(self.names)
                    mix = [(0.5, cs[i], float(side)), (0.5, cs[j], float(side))]
                    n_pages = 1 if rng.random() < 0.75 else rng.randint(2, 4)
                    d = Doc(index, t, "paraphrase", client)
                    d.concepts = [i, j]
                    d.pages = self._pages(rng, n_pages, client, mix)
                    d.timed_query = self.keyword_query(d)
                    q = [cs[i][side], cs[j][side]]
                    rng.shuffle(q)
                    words = set(w.strip(".,").lower() for p in d.pages for w in p.split())
                    words |= set(w for w in d.name.replace(".", " ").split())
                    for qw in q:
                        bad = [w for w in words if shares_stem(qw, w)]
                        if bad:
                            raise SystemExit("search_corpus: paraphrase query word %r shares a "
                                             "stem with %r of its target" % (qw, bad[0]))
                    queries.append(Query(0, "paraphrase", " ".join(q), index, t))
                docs.append(d)
                topic_docs.append(d)
            # Keyword queries: two background documents of the topic, by their own words.
            picks = rng.sample([d for d in topic_docs if d.kind == "background"], 2)
            for n, d in enumerate(picks):
                x, y, ctx = cs[d.concepts[0]]
                text = " ".join(d.pages)
                tokens = [w.strip(".,").lower() for w in text.split()]
                word = x if tokens.count(x) >= tokens.count(y) else y
                q = [d.client, word]
                if n == 1:
                    q.append(max(ctx, key=tokens.count))
                d.kind = "keyword"
                queries.append(Query(0, "keyword", " ".join(q), d.index, t))
        queries.sort(key=lambda q: (q.kind != "paraphrase", q.topic, q.target))
        for i, q in enumerate(queries):
            q.qid = i
        return docs, queries

    def extra(self, start, count, n_pages):
        """count more background documents (indexes start...), n_pages pages each (None: the
        corpus's mix), topics in turn; a generator."""
        rng = random.Random(self.seed + start)
        for k in range(count):
            index = start + k
            yield self.background(rng, index, index % self.n_topics, n_pages=n_pages)

    @staticmethod
    def keyword_query(d):
        """Two queries of what d holds (timed queries): its client and its main concept word as
        it uses it (selective), and that word and a context word of the concept (broad: most
        documents about the concept)."""
        x, y, ctx = TOPICS[d.topic][1][d.concepts[0]]
        tokens = " ".join(d.pages).lower().replace(".", " ").split()
        word = x if tokens.count(x) >= tokens.count(y) else y
        if word not in tokens:
            word = max(ctx, key=tokens.count)
        other = max((w for w in ctx.split() if w != word), key=tokens.count)
        return ("%s %s" % (d.client, word), "%s %s" % (word, other))


def grade(query, doc_index, doc_topic):
    if doc_index == query.target:
        return 2
    return 1 if doc_topic == query.topic else 0


def main():
    args = sys.argv[1:]
    g = Generator()
    docs, queries = g.corpus()
    pages = sum(len(d.pages) for d in docs)
    words = sum(len(p.split()) for d in docs for p in d.pages)
    print("topics %d, documents %d (%d multi-page), pages %d, chunks %d, words/page %.0f" % (
        len(TOPICS), len(docs), sum(len(d.pages) > 1 for d in docs), pages, pages + len(docs),
        words / pages))
    print("queries %d: %d paraphrase, %d keyword" % (
        len(queries), sum(q.kind == "paraphrase" for q in queries),
        sum(q.kind == "keyword" for q in queries)))
    for q in queries[:3] + [q for q in queries if q.kind == "keyword"][:3]:
        print("  %-10s %-30s -> %s" % (q.kind, q.text, docs[q.target].name))
    if "--dump" in args:
        out = args[args.index("--dump") + 1]
        os.makedirs(out, exist_ok=True)
        for d in docs:
            with open(os.path.join(out, d.name), "w") as f:
                f.write("\f".join(d.pages))
        with open(os.path.join(out, "queries.json"), "w") as f:
            json.dump([{"qid": q.qid, "kind": q.kind, "query": q.text,
                        "target": docs[q.target].name, "topic": TOPICS[q.topic][0]}
                       for q in queries], f, indent=1)
        print("wrote %s" % out)


if __name__ == "__main__":
    main()
