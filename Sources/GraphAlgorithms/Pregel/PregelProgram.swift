import PropertyGraph

/// What an edge's message closure sees: both endpoints' current states and the edge.
/// `edge` is the row of the graph's edges table, so closures can read edge properties from
/// arrays they captured.
public struct PregelEdgeContext<State> {
    public let src: UInt32
    public let dst: UInt32
    public let edge: UInt32
    public let srcState: State
    public let dstState: State

    @inlinable
    public init(src: UInt32, dst: UInt32, edge: UInt32, srcState: State, dstState: State) {
        self.src = src
        self.dst = dst
        self.edge = edge
        self.srcState = srcState
        self.dstState = dstState
    }
}

/// How messages arriving at one vertex are combined. Must be associative; amlgraph always
/// combines in ascending edge order (in-edges, then out-edges), so floating-point results
/// are identical whatever the thread count.
public enum PregelCombiner<Message> {
    case custom((Message, Message) -> Message)

    @inlinable
    public func combine(_ a: Message, _ b: Message) -> Message {
        switch self {
        case let .custom(f): return f(a, b)
        }
    }
}

extension PregelCombiner where Message: AdditiveArithmetic {
    /// Sum of messages (GraphFrames `sum(msg)`, Neo4j's sum reducer).
    public static var sum: PregelCombiner { .custom { $0 + $1 } }
}

extension PregelCombiner where Message: Comparable {
    public static var min: PregelCombiner { .custom { Swift.min($0, $1) } }
    public static var max: PregelCombiner { .custom { Swift.max($0, $1) } }
}

/// The master-compute hook's verdict after a round (Neo4j GDS's masterCompute).
public enum PregelMasterDecision {
    case proceed
    case halt
}

/// Summary of one superstep, handed to the master-compute hook.
public struct PregelRoundSummary: Sendable {
    public let round: Int
    public let messagesSent: Int
    public let activeVertices: Int

    @inlinable
    public init(round: Int, messagesSent: Int, activeVertices: Int) {
        self.round = round
        self.messagesSent = messagesSent
        self.activeVertices = activeVertices
    }
}

/// A vertex program: GraphFrames' Pregel (`withVertexColumn`, `sendMsgToDst`,
/// `sendMsgToSrc`, `aggMsgs`, active-vertex column) with Neo4j GDS's extras (vote to halt,
/// master compute), as typed Swift closures.
///
/// Semantics (GraphFrames): there is no initial message; round 1 sends from the initial
/// states. Each round every edge may send (nil = no message), messages are combined per
/// vertex, and then **every** vertex runs `update` with the combined message or nil.
public struct PregelProgram<State, Message> {
    public var initialState: (UInt32) -> State
    public var sendToDst: ((PregelEdgeContext<State>) -> Message?)?
    public var sendToSrc: ((PregelEdgeContext<State>) -> Message?)?
    public var combiner: PregelCombiner<Message>
    public var update: (UInt32, State, Message?) -> State

    /// Initial active flag (GraphFrames' active-vertex column); nil = all active.
    public var initialActive: ((UInt32, State) -> Bool)?
    /// Active flag after a round from (vertex, new state, message, was active); nil keeps
    /// vertices active. Neo4j-style vote-to-halt is `{ _, _, msg, _ in msg != nil }`-like:
    /// a vertex halts unless a message wakes it.
    public var updateActive: ((UInt32, State, Message?, Bool) -> Bool)?

    public init(initialState: @escaping (UInt32) -> State,
                sendToDst: ((PregelEdgeContext<State>) -> Message?)? = nil,
                sendToSrc: ((PregelEdgeContext<State>) -> Message?)? = nil,
                combiner: PregelCombiner<Message>,
                update: @escaping (UInt32, State, Message?) -> State) {
        self.initialState = initialState
        self.sendToDst = sendToDst
        self.sendToSrc = sendToSrc
        self.combiner = combiner
        self.update = update
    }
}

/// Run options.
public struct PregelOptions {
    /// Maximum supersteps (GraphFrames' default is 10).
    public var maxIterations = 10
    /// Stop as soon as a round would send no message, before that round's update, which is
    /// neither run nor counted (GraphFrames' `setEarlyStopping`).
    public var earlyStopping = false
    /// Skip an edge's messages when both of its ends are inactive (GraphFrames'
    /// `setSkipMessagesFromNonActiveVertices`, which keeps a triplet if either end is active).
    public var skipMessagesFromInactive = false
    /// Stop after a round whose update left no vertex active (GraphFrames'
    /// `setStopIfAllNonActiveVertices`, checked after the update).
    public var stopWhenNoActiveVertices = false
    /// Keep every round's states (round 0 = initial) in the result.
    public var captureHistory = false
    /// Called after every round; `.halt` stops the run (Neo4j GDS's masterCompute).
    public var masterCompute: ((PregelRoundSummary) -> PregelMasterDecision)?

    public init(maxIterations: Int = 10) { self.maxIterations = maxIterations }
}

/// The outcome of a Pregel run.
public struct PregelResult<State> {
    public let states: [State]
    /// Supersteps executed.
    public let rounds: Int
    /// Messages sent in each round.
    public let messagesPerRound: [Int]
    /// States after each round, round 0 first (only with `captureHistory`).
    public let history: [[State]]?
    public let active: [Bool]

    @inlinable
    public init(states: [State], rounds: Int, messagesPerRound: [Int], history: [[State]]?, active: [Bool]) {
        self.states = states
        self.rounds = rounds
        self.messagesPerRound = messagesPerRound
        self.history = history
        self.active = active
    }
}
