import PropertyGraph

extension GraphError: UserFacingError {}
