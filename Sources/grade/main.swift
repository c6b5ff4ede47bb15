GradeCommand.main()
